"""The desk card's fixed text: the page around the facts, its styles and its one small script.

The Content-Security-Policy lets the page load nothing at all: no font, image, frame
or connection, so an opened card can make no network request, whatever it holds."""

from __future__ import annotations

import base64
import hashlib
import re

# Colours are chosen for at least 4.5:1 against their backgrounds (the tests check with axe-core).
# Written with custom properties; `with_fallbacks` puts a literal before each use (below).
_STYLE = """
:root{--ink:#111;--muted:#3d3d3d;--line:#767676;--red:#a4001d;--link:#0b4ea2;--warn-bg:#fff3d6;--box:#f3f5f8}
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:100%;line-height:1.45;
color:var(--ink);background:#fff}
body{margin:0}
a{color:var(--link)}
a:focus,summary:focus,input:focus,button:focus,.scroll:focus{outline:3px solid #1a1a1a;outline-offset:2px}
.skip{position:absolute;left:-999em}
.skip:focus{position:static;display:inline-block;padding:.5em;background:#fff}
header.emergency{background:var(--red);color:#fff;padding:.75em 1rem}
header.emergency h1{font-size:1.1rem;margin:0 0 .25em}
.emergency .big{font-size:clamp(3rem,12vw,5.5rem);font-weight:800;line-height:1;margin:.1em 0;letter-spacing:.02em}
.emergency p{margin:.2em 0}
.emergency .source{color:#fff}
nav ul{list-style:none;padding:0;margin:.5em 0;display:flex;flex-wrap:wrap;gap:.25em 1em}
main,nav,footer{max-width:60rem;margin:0 auto;padding:0 1rem}
h2{font-size:1.5rem;margin:1.5em 0 .5em;border-bottom:2px solid var(--line)}
h3{font-size:1.15rem;margin:1em 0 .4em}
h4{font-size:1rem;margin:.8em 0 .3em}
.value{font-weight:700}
.nb{white-space:nowrap}
/* An address is never broken: a long one is made smaller, just enough to fit a narrow screen whole. */
.email{font-size:min(1em,calc((100vw - 2.5rem) / (var(--n,30) * .66)))}
.url{overflow-wrap:anywhere;word-break:break-all}
.terminal{font-size:.85rem;color:var(--muted);margin:.2em 0}
kbd{font:inherit;font-weight:600;background:var(--box);border:1px solid var(--line);padding:0 .2em}
.terminal code{overflow-wrap:anywhere}
.spocs{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,21rem),1fr));gap:.75rem}
.spocs h3{margin-top:.2em}
dl.fields{margin:.4em 0}
dl.fields div{display:flex;flex-wrap:wrap;gap:0 .5em}
dl.fields dt{color:var(--muted)}
dl.fields dt::after{content:":"}
dl.fields dd{margin:0;max-width:100%}
.source,.cite,.prov{color:var(--muted);font-size:.9rem}
.source{margin:.3em 0}
.caution{background:var(--warn-bg);border-left:4px solid #8a5a00;padding:.4em .6em}
.corrected{color:#7a3e00}
.own{font-style:italic}
.option{border-left:3px solid var(--line);padding-left:.5em;margin:.3em 0}
.glance{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,21rem),1fr));gap:.75rem}
.box{background:var(--box);border:1px solid var(--line);padding:.5em .75em}
.box h3{margin-top:.2em}
.question{margin:.5em 0}
.q{margin:.6em 0 .3em}
details{border:1px solid var(--line);margin:.3em 0;padding:0 .6em}
details[open]{padding-bottom:.5em}
details details{margin-left:0}
summary{cursor:pointer;padding:.45em 0;font-weight:600;min-height:44px}
summary .now,.clock{background:#e3f1e6;color:#0b3d17;padding:0 .3em}
article.plan{border-top:3px solid var(--red);margin-top:.5em}
ol.steps{padding-left:1.4em}
li.step{margin:.6em 0}
li.step .text{margin:.2em 0}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.5em 0;width:100%}
th,td{border:1px solid var(--line);padding:.3em .5em;text-align:left;vertical-align:top}
thead th{background:var(--box)}
form.place{display:flex;flex-wrap:wrap;gap:.5em;align-items:end}
form.place label{display:block;font-weight:600}
input,button{font:inherit;padding:.4em .6em;border:2px solid #444;border-radius:4px;max-width:100%}
button{background:var(--link);color:#fff;border-color:var(--link);cursor:pointer}
#place-answer{margin-top:.5em}
#place-answer .pick{padding:.1em .4em;margin:.1em 0}
footer{border-top:2px solid var(--line);margin-top:2em;padding-top:.5em;padding-bottom:2em;color:var(--muted)}
.print-only{display:none}
@media screen and (max-width:40rem){
#decision table,#decision tbody,#decision tr,#decision th,#decision td{display:block;width:auto}
#decision thead{display:none}
#decision tr{border:1px solid var(--line);margin:.4em 0;padding:.3em .5em}
#decision th,#decision td{border:0;padding:.1em 0}
#decision td:last-child{color:var(--muted);font-size:.9rem}
#decision td:last-child::before{content:"Source: "}}
@media (max-width:30rem){main,nav,footer{padding:0 .5rem}summary{padding:.5em 0}
details{padding:0 .5em}details details{margin-left:-.5em;margin-right:-.5em;border-left:0;border-right:0}
.box{padding:.4em .5em}.value{font-weight:600}}
@page{size:A4;margin:11mm 11mm 12mm}
@media print{
html{font-size:8.1pt;line-height:1.22}
.skip,nav,#triage,#forum-details,.noprint{display:none!important}
.choice>.option[hidden]{display:block}
.print-only{display:block}
header.emergency{-webkit-print-color-adjust:exact;print-color-adjust:exact;padding:2mm 3mm}
.emergency .big{font-size:30pt}
main,footer{max-width:none;padding:0}
h2{font-size:11pt;margin:3mm 0 1mm;break-after:avoid}
h3{font-size:9.5pt;margin:1.5mm 0 .5mm}
.glance{grid-template-columns:repeat(3,1fr);gap:2mm}
.box{padding:1mm 2mm;break-inside:avoid}
h3,h4{break-after:avoid}
p,li,dl.fields div{break-inside:avoid}
#places,#meetings,#forums>table,#decision,footer{break-inside:avoid}
.meetings-paper ul{columns:2;column-gap:4mm;margin:.5mm 0;padding-left:3.5mm}
.meetings-paper p{margin:.6mm 0}
#front-doors .box,#meetings,#places,footer{font-size:7.4pt}
#front-doors ul{margin:.5mm 0;padding-left:3.5mm}
table{margin:1mm 0}
th,td{padding:.5mm 1.2mm}
tr,.caution{break-inside:avoid}
.caution{font-size:7.4pt;padding:.3mm 1.5mm;margin:.6mm 0}
.source{font-size:7.4pt;margin:.3mm 0}
.scroll{overflow:visible}
a{color:inherit;text-decoration:none}
.spocs{grid-template-columns:repeat(4,1fr);gap:2mm}
#decision table{margin-top:0}
#front-doors .spocs{grid-template-columns:repeat(3,1fr)}
footer{margin-top:3mm;padding:1mm 0 0}
footer h2{font-size:9pt;margin:1.5mm 0 .5mm}
footer ul{columns:3;column-gap:3mm;font-size:6.2pt;line-height:1.1;margin:.3mm 0;padding-left:3mm}
footer p{margin:.6mm 0}
}
"""


def with_fallbacks(css: str) -> str:
    """`css` with each declaration that uses a :root colour preceded by the same declaration
    with the literal value, so a browser without custom properties (an old engine, or an
    IE-mode policy) still draws the 999 banner red with white text, never white on white."""
    root = re.search(r":root\{([^}]*)\}", css)
    values = dict(re.findall(r"(--[\w-]+):([^;]+)", root.group(1))) if root else {}

    def literal(m: re.Match[str]) -> str:
        prop, value = m.group(1), m.group(2)
        plain = re.sub(r"var\((--[\w-]+)\)", lambda v: values.get(v.group(1), v.group(0)), value)
        return m.group(0) if "var(" in plain else f"{prop}:{plain};{prop}:{value}"

    return re.sub(r"(?<=[{;\n])([a-z-]+):([^;{}]*var\(--[\w-]+\)[^;{}]*)", literal, css)


STYLE = with_fallbacks(_STYLE)

# Kept small and computing nothing the tree does not say: from the reader's clock in UK
# time, the hours case and each front door's answer (by the same rules the terminal
# applies, from the same data), and the place box.
SCRIPT = """
(function(){
var d=JSON.parse(document.getElementById('card-data').textContent);
function norm(t){t=t.toLowerCase().replace(/&/g,' and ').replace(/['\\u2019\\u2018`]/g,'');
t=t.replace(/[-.,()\\/]/g,' ').replace(/\\bsaint\\b/g,'st');return t.split(/\\s+/).filter(Boolean).join(' ');}
var h=d.hours;
try{
var p={};new Intl.DateTimeFormat('en-GB',{timeZone:'Europe/London',year:'numeric',month:'2-digit',day:'2-digit',
weekday:'short',hour:'2-digit',minute:'2-digit',hourCycle:'h23'}).formatToParts(new Date()).forEach(function(x){
p[x.type]=x.value;});
var iso=p.year+'-'+p.month+'-'+p.day,day=p.weekday.toLowerCase().slice(0,3),m=(+p.hour)*60+(+p.minute);
var hm=function(s){var a=s.split(':');return (+a[0])*60+(+a[1]);},o=hm(h.opens),c=hm(h.closes),k=null;
if(iso>=h.from&&iso<h.until){
if(h.days.indexOf(day)<0||m<o||m>=c)k='out-of-hours';else if(h.holidays.indexOf(iso)>=0)k='bank-holiday';
else if(c-m<=h.closing)k='closing-soon';else k='in-hours';
var hol=h.holidays.indexOf(iso)>=0,door=function(r){if(hol&&r.bank_holidays==='out-of-hours')return 'holiday-closed';
if(r.closed_days.indexOf(day)>=0)return 'closed-day';if(!r.hours.length)return 'no-hours';
var at=function(l){return (l||[]).some(function(x){return x.days.indexOf(day)>=0&&hm(x.opens)<=m&&m<hm(x.closes);});};
if(at(r.disputed))return 'disputed';var on=at(r.hours);return hol&&on?'holiday-open':(on?'open':'closed');};
document.querySelectorAll('.choice[data-rule^="frontdoor:"]').forEach(function(e){
var r=d.doors[e.getAttribute('data-rule').slice(10)],w=r&&door(r),os=e.querySelectorAll(':scope>.option');
if(w&&e.querySelector(':scope>.option[data-when="'+w+'"]'))os.forEach(function(x){
x.hidden=x.getAttribute('data-when')!==w;});});}
if(k){document.querySelectorAll('[data-check] > details[data-value="'+k+'"] > summary').forEach(function(s){
var n=document.createElement('span');n.className='now';n.textContent=' \\u2190 now, by your computer\\u2019s clock';
s.appendChild(n);});
document.querySelectorAll('[data-check] .clock').forEach(function(e){e.hidden=false;
e.textContent='By your computer\\u2019s clock it is '+p.weekday+' '+p.hour+':'+p.minute+' UK time: '+h.words[k]+'.';});}
}catch(e){}
var g=function(x){return document.getElementById(x);},f=g('place-form'),i=g('place'),out=g('place-answer');
// The place box, by the rules of setguide's places.resolve (lookup, suggest), on the data the card was built with.
var P=d.places,M=function(o){return new Map(Object.keys(o).map(function(k){return [k,o[k]];}));};
var index=M(P.index),choose=M(P.choose),dist=M(P.districts),areas=new Map(),cut=P.cutoff;
P.areas.forEach(function(a){areas.set(a[0],[a[1],a[2]]);});
function keys(t){var r=[norm(t)],s;
while((s=r[r.length-1].replace(/\\s+(essex|uk|england|gb)$/,''))!==r[r.length-1]&&s)r.push(s);return r;}
// difflib's SequenceMatcher(None, a, b).ratio() and get_close_matches, which setguide's suggestions use.
function ratio(a,b){var b2j=new Map(),n=0,q=[[0,a.length,0,b.length]],j;
for(j=0;j<b.length;j++){if(!b2j.has(b[j]))b2j.set(b[j],[]);b2j.get(b[j]).push(j);}
while(q.length){var r=q.pop(),alo=r[0],ahi=r[1],blo=r[2],bhi=r[3],bi=alo,bj=blo,bk=0,j2=new Map();
for(var x=alo;x<ahi;x++){var nj=new Map(),js=b2j.get(a[x])||[];
for(var y=0;y<js.length;y++){j=js[y];if(j<blo)continue;if(j>=bhi)break;
var k=(j2.get(j-1)||0)+1;nj.set(j,k);if(k>bk){bi=x-k+1;bj=j-k+1;bk=k;}}j2=nj;}
if(bk){n+=bk;if(alo<bi&&blo<bj)q.push([alo,bi,blo,bj]);if(bi+bk<ahi&&bj+bk<bhi)q.push([bi+bk,ahi,bj+bk,bhi]);}}
return a.length+b.length?2*n/(a.length+b.length):1;}
function cmp(a,b){return a<b?-1:a>b?1:0;}
function close(w,c,n){var r=[];c.forEach(function(x){var s=ratio(x,w);if(s>=cut)r.push([s,x]);});
r.sort(function(p,q){return q[0]-p[0]||cmp(q[1],p[1]);});return r.slice(0,n).map(function(p){return p[1];});}
function inArea(t){var w=norm(t).split(' '),sp=[],c,ak=Array.from(areas.keys());if(w.length<2||w.length>8)return [];
for(c=w.length-1;c>0;c--)sp.push([w.slice(0,c).join(' '),w.slice(c).join(' ')]);
for(c=1;c<w.length;c++)sp.push([w.slice(c).join(' '),w.slice(0,c).join(' ')]);
for(var s=0;s<sp.length;s++){var name=sp[s][0],area=sp[s][1],fa=areas.has(area)?[area]:close(area,ak,1);
if(!fa.length||name.length<3)continue;var at=areas.get(fa[0]),nm=new Map();
P.places.forEach(function(p){if(at[1]?p[1]===at[1]:dist.get(p[1])===at[0])nm.set(norm(p[0]),p[0]);});
var hits=nm.has(name)?[name]:close(name,Array.from(nm.keys()),3);
if(hits.length)return hits.map(function(h){return nm.get(h);});}return [];}
function suggest(t){var byKey=new Map(),longest=0,hits,seen=[];
P.suggest.forEach(function(n){var k=norm(n);byKey.set(k,n);longest=Math.max(longest,k.length);});
var all=Array.from(byKey.keys());hits=inArea(t).map(norm);
keys(t).forEach(function(k){if(!k||k.length>2*longest)return;hits=hits.concat(close(k,all,5));
if(!hits.length&&k.indexOf(' ')<0&&k.length>=4){var sc=[];all.forEach(function(x){var ws=x.split(' ');
if(ws.length<2)return;var b=Math.max.apply(null,ws.map(function(v){return ratio(k,v);}));if(b>=cut)sc.push([-b,x]);});
sc.sort(function(p,q){return p[0]-q[0]||cmp(p[1],q[1]);});hits=hits.concat(sc.map(function(p){return p[1];}));}
all.forEach(function(x){if(x.indexOf(k)===0&&x!==k)hits.push(x);});});
hits.forEach(function(h){if(seen.indexOf(h)<0&&byKey.has(h))seen.push(h);});
return seen.slice(0,5).map(function(h){return byKey.get(h);});}
function exact(k){return index.has(k)?{a:index.get(k)}:choose.has(k)?{c:choose.get(k)}:null;}
function within(name,area){var at=areas.get(area),ids=index.has(name)?[index.get(name)]:
(choose.get(name)||[]).map(function(c){return index.get(norm(c[0]));});if(!at)return null;
var hit=ids.filter(function(x){var a=P.answers[x];return at[1]?a[1].indexOf(at[1])>=0:a[0]===at[0];});
return hit.length?{a:hit[0]}:null;}
function find(t){var ks=keys(t),r,x,k,w,c;for(x=0;x<ks.length;x++){if((r=exact(ks[x])))return r;}
var m=/^(.+?)\\s*(?:\\(([^()]+)\\)|,\\s*([^,]+))\\s*$/.exec(t.trim());
if(m&&(r=within(norm(m[1]),norm(m[2]||m[3]))))return r;
k=norm(t);var plain=k.replace(/\\s+(town|town centre|village|city|centre)$/,'');if(plain!==k&&(r=exact(plain)))return r;
w=k.split(' ');
if(w.length<=8)for(c=w.length-1;c>0;c--){if((r=within(w.slice(0,c).join(' '),w.slice(c).join(' '))))return r;}
if(/^[A-Z]{1,2}\\d[A-Z\\d]?(?:\\s*\\d[A-Z]{2})?$/i.test(t.trim()))return {p:1};return {s:suggest(t)};}
function el(tag,text,cls){var e=document.createElement(tag);if(text)e.textContent=text;if(cls)e.className=cls;return e;}
function pick(form){var b=el('button',form,'pick');b.type='button';b.setAttribute('data-place',form);return b;}
function show(v){var t=v.trim(),r,p;out.textContent='';
if(!t){out.appendChild(el('p','Type a town, village, district or authority, or choose one from the list.'));return;}
r=find(t);
if('a' in r){out.innerHTML=P.answers[r.a][2].map(function(n){return d.pieces[n];}).join('');return;}
p=el('p');out.appendChild(p);
if(r.c){p.textContent='More than one place is called '+t+'; choose one:';var ul=el('ul');
r.c.forEach(function(c){var li=el('li');li.appendChild(pick(c[0]));
li.appendChild(document.createTextNode(' ('+c[1]+')'));
ul.appendChild(li);});out.appendChild(ul);return;}
if(r.p){p.textContent=P.postcode[0].replace('{}',t.toUpperCase())+': '+P.postcode[1]+'.';return;}
p.textContent='Not in this card\u2019s list of places: '+t+'.';
if(r.s.length){p.appendChild(document.createTextNode(' Did you mean: '));r.s.forEach(function(n,x){
if(x)p.appendChild(document.createTextNode(', '));p.appendChild(pick(n));});
p.appendChild(document.createTextNode('?'));}
p.appendChild(document.createTextNode(' For a place outside Southend, Essex and Thurrock, type: outside SET.'));}
f.addEventListener('submit',function(e){e.preventDefault();show(i.value);});
out.addEventListener('click',function(e){var b=e.target.closest('button[data-place]');
if(b){i.value=b.getAttribute('data-place');show(i.value);i.focus();}});
})();
"""


def script_hash(script: str) -> str:
    """The CSP source that lets `script`, exactly as written in the page, run, and no other script."""
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


PAGE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; \
script-src '{script_hash}'; form-action 'none'; base-uri 'none'">
<meta name="referrer" content="no-referrer">
<title>{title} (desk card)</title>
<style>{style}</style>
</head>
<body>
<a class="skip" href="#main">Skip to what to do</a>
<header class="emergency">
<h1>{title}</h1>
<p class="big">{number}</p>
{emergency}
</header>
<nav aria-label="On this card">
<ul>
<li><a href="#decision">What to do</a></li>
<li><a href="#triage">Triage, question by question</a></li>
<li><a href="#contacts">Single points of contact</a></li>
<li><a href="#at-a-glance">Triage line and secure email</a></li>
<li><a href="#front-doors">Front doors</a></li>
<li><a href="#places">Which quadrant?</a></li>
<li><a href="#forums">Forums</a></li>
</ul>
</nav>
<main id="main">
{corrections}
<section id="decision" aria-labelledby="h-decision">
<h2 id="h-decision">What to do</h2>
{decision}
</section>
<section id="triage" aria-labelledby="h-triage">
<h2 id="h-triage">Triage, question by question</h2>
<p class="own">Open the answer that fits: the next question, or the plan, appears beneath it. \
These are the plans setguide gives in the terminal for the same answers. <span class="prov">(setguide)</span></p>
{triage}
</section>
<section id="contacts" aria-labelledby="h-contacts">
<h2 id="h-contacts">Single points of contact (SPOC)</h2>
{contacts}
</section>
<section id="at-a-glance" aria-labelledby="h-glance">
<h2 id="h-glance">The triage line, out of hours, and secure email</h2>
{glance}
</section>
<section id="front-doors" aria-labelledby="h-front-doors">
<h2 id="h-front-doors">Children's social care front doors</h2>
{front_doors}
</section>
<section id="forums" aria-labelledby="h-forums">
<h2 id="h-forums">Forums by area</h2>
{forums_by_area}
<div id="forum-details">
<details><summary>Each forum: what it is for, who attends, how often it meets</summary>
{forums}
</details>
</div>
<div id="meetings">
<h3>Meeting dates</h3>
{meetings}
</div>
</section>
<section id="places" aria-labelledby="h-places">
<h2 id="h-places">Essex MACE quadrants</h2>
<form class="place noprint" id="place-form" role="search" aria-label="Which quadrant?">
<div><label for="place">Town, village, district or authority</label>
<input id="place" name="place" list="place-names" autocomplete="off" size="28"></div>
<datalist id="place-names">{datalist}</datalist>
<button type="submit">Which quadrant?</button>
</form>
<noscript><p class="own noprint">The place box needs scripts, which are off: find the district in the table below. \
<span class="prov">(setguide)</span></p></noscript>
<div id="place-answer" class="noprint" aria-live="polite"></div>
{quadrants}
</section>
</main>
<footer>
{complement}
<p>Protocol data: {edition}, checked {read_on}. Card built {built} by setguide {version} \
from the same data and decision tree as setguide in the terminal ({plans} plans). \
It loads nothing from the network and keeps no record of its use.</p>
</footer>
<script type="application/json" id="card-data">{json}</script>
<script>{script}</script>
</body>
</html>
"""

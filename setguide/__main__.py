from setguide.cli import main

main()

from partnerpost.cli import main

main()

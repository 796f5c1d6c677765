"""``python -m meshdocs`` runs the same CLI as the ``meshdocs`` console script."""

from meshdocs.cli import main

if __name__ == "__main__":
    main()

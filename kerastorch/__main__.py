import sys

from kerastorch.cli import main

sys.exit(main())

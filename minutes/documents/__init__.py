"""Every Word document of Sinergi, one module per document on one shared toolkit (toolkit.py):
the Notula (notula.py) and the Daftar Hadir (daftar_hadir.py)."""

"""The knowledge files, installed as the package data ``congvan.data``.

This folder holds data, not code: the file only makes it a package, so that
``importlib.resources`` finds the files in a wheel and in a checkout alike.
"""

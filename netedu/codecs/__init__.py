"""netedu.codecs"""

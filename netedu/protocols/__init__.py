"""netedu.protocols"""

"""netedu.widgets"""

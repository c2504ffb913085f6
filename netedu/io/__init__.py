"""netedu.io"""

"""netedu.addr"""

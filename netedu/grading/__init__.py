"""netedu.grading"""

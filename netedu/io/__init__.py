"""netedu.io: the only code that touches sockets, threads, processes and the clock.

Everything here binds to 127.0.0.1 and port 0 by default, sets a timeout on
every socket, and runs servers inside ``with`` blocks that stop them.
"""

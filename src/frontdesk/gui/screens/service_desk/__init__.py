"""客服: the service desk's screens (the board, the callback list, intake and the steps)."""

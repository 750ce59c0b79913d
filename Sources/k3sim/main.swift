print("k3sim")

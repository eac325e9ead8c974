print("swiftl4")

-- lobby: placeholder while it is written
return { name = "lobby", version = "0.1" }

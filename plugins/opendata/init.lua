-- opendata: placeholder while it is written
return { name = "opendata", version = "0.1" }

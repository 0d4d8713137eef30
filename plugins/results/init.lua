-- results: placeholder while it is written
return { name = "results", version = "0.1" }

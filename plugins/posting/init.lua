-- posting: placeholder while it is written
return { name = "posting", version = "0.1" }

def log = new File(basedir, 'build.log').text
assert log.contains('[ERROR] schemas/events/order.created/v1.json:10:1: error [PUBLISHED_VERSION_MODIFIED] registry against git:HEAD (')
assert log.contains('differs from the published file from line 10 (1 breaking change: MAX_LENGTH_DECREASED at /properties/note/maxLength)')
assert log.contains("at HEAD:schemas/events/order.created/v1.json:10:1")
return true

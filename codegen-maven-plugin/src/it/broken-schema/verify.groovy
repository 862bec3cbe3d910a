// The build failed, naming the file, the line and column, the JSON pointer and a fix.
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
def expected = ~/schemas\/events\/thing\.happened\/v1\.json:9:7: error: the branches of this oneOf mix objects and other values, or are not all described by a type \(#\/properties\/payload\/oneOf\)\. Fix: /
assert expected.matcher(log).find() : 'no file:line:column message for the oneOf keyword in build.log'
assert !new File(basedir, 'target/classes/com/example/broken').exists()
return true

// The README's "Using Herald in your own project" POM, character for character, built on its own:
// the plugin generated the types, the service's code compiled against them and the runtime, the
// gate ran, and the class path is the one Herald was tested with.
def readme = new File(basedir, '../../../../README.md').text
def block = (readme =~ /(?s)## Using Herald in your own project.*?```xml\n(.*?)```/)
assert block.find() : 'README.md has no "## Using Herald in your own project" section with an xml block'
def pom = new File(basedir, 'pom.xml').text
def body = pom.substring(pom.indexOf('<project'))
assert block.group(1).trim() == body.trim() : "README's POM and this sample's pom.xml differ: change both"

assert new File(basedir, 'target/classes/com/example/payments/events/GreetingSent.class').isFile()
assert new File(basedir, 'target/classes/com/example/payments/Greetings.class').isFile()
def log = new File(basedir, 'build.log').text
assert log.contains('Generated 4 Java files')
assert log.contains('herald:check-compat')
evaluate(new File(basedir, '../../../src/it/tested-classpath.groovy'))
return true

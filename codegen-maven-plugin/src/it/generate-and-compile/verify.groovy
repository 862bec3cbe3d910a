// The plugin generated the registry's types, they compiled with hand-written code, and the catalog is in the output.
def generated = new File(basedir, 'target/generated-sources/herald/com/example/it')
['GreetingSent.java', 'Person.java', 'EventType.java', 'ServiceName.java'].each {
    assert new File(generated, it).isFile() : "missing generated source $it"
}
assert new File(basedir, 'target/classes/com/example/it/GreetingSent.class').isFile()
assert new File(basedir, 'target/classes/com/example/it/app/Greeter.class').isFile()
def catalog = new File(basedir, 'target/classes/META-INF/herald/catalog.json')
assert catalog.isFile()
assert catalog.text.contains('"javaClass" : "com.example.it.GreetingSent"')
def copied = new File(basedir, 'target/classes/META-INF/herald/schemas/events/greeting.sent/v1.json')
assert copied.text == new File(basedir, 'schemas/events/greeting.sent/v1.json').text
def log = new File(basedir, 'build.log').text
assert log.contains('Generated 4 Java files')
evaluate(new File(basedir, '../../../src/it/tested-classpath.groovy'))
return true

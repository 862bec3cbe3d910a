// the importer wrote a registry and said what it changed; the build generated and compiled from it
def log = new File(basedir, 'build.log').text
assert log.contains('events/issues/opened.schema.json -> events/issues.opened/v1.json')
assert log.contains('4 files imported into')
assert new File(basedir, 'schemas/registry.json').isFile()
assert new File(basedir, 'schemas/events/issues.opened/v1.json').text.contains('"x-owner" : "tracker"')
assert new File(basedir, 'target/classes/com/example/tracker/IssuesOpened.class').isFile()
assert new File(basedir, 'target/classes/com/example/tracker/User.class').isFile()
return true

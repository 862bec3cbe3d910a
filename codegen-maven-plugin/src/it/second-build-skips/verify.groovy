// The first build generated; the second found the inputs unchanged and skipped the work.
def log = new File(basedir, 'build.log').text
assert new File(basedir, 'target/classes/com/example/it/GreetingSent.class').isFile()
assert new File(basedir, 'target/herald/generate.state').isFile()
assert log.contains('Herald sources are up to date (4 Java files') : 'the second build did not skip'
int generated = log.indexOf('Generated 4 Java files')
if (generated >= 0) {
    assert generated < log.indexOf('Herald sources are up to date')
}
return true

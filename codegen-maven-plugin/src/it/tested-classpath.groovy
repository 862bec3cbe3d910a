// Shared by the samples that depend on herald-sdk-runtime: the run-time class path Maven resolved for
// the sample (target/classpath.txt, from dependency:list) must be exactly the one Herald's own build
// resolved and tested sdk-runtime with (sdk-runtime/target/runtime-classpath.txt): no library
// missing, none added, no version changed. Colour codes are dropped: a build run without -B on a
// terminal writes them into dependency:list's output file.
def read = { File f ->
    assert f.isFile() : "missing $f"
    f.readLines().collect { it.replaceAll(/\u001B\[[0-9;]*m/, '').trim().split(/\s+/)[0] }
            .findAll { it ==~ /[^:]+:[^:]+:[^:]+(:[^:]+)+/ }
            .findAll { !it.startsWith('dev.herald:herald-sdk-runtime:') }
            .toSet()
}
def sample = read(new File(basedir, 'target/classpath.txt'))
def tested = read(new File(basedir, '../../../../sdk-runtime/target/runtime-classpath.txt'))
assert !tested.isEmpty()
if (sample != tested) {
    throw new AssertionError("the sample resolved a class path Herald was not tested with:\n  only in the sample: ${(sample - tested).sort()}\n  only in Herald's build: ${(tested - sample).sort()}")
}

def log = new File(basedir, 'build.log').text
assert log.contains("Apache Maven ${mavenUnderTest} ") : "this sample was to be built with Maven ${mavenUnderTest}"

def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 1, Failures: 0, Errors: 0, Skipped: 0') : 'the sample application test did not pass'
assert new File(basedir, 'target/shipping-1.0.jar').isFile()

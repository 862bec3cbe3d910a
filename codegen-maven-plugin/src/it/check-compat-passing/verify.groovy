def log = new File(basedir, 'build.log').text
assert log.contains('herald:check-compat PASSED: 0 errors, 0 warnings (1 event, 2 versions; mode FULL_TRANSITIVE, policy robust, baseline ')
return true

def log = new File(basedir, 'build.log').text
assert log.contains('[ERROR] schemas/events/order.created/v2.json:10:') : 'the finding names the file and line'
assert log.contains('error [MAX_LENGTH_DECREASED] order.created v2 against v1 at /properties/note/maxLength: maxLength lowered from 200 to 100')
assert log.contains('Fix: keep the old maxLength')
assert log.contains('Schema compatibility check FAILED: 1 error')
def sarif = new File(basedir, 'target/herald/compat.sarif')
assert sarif.isFile()
assert sarif.text.contains('"ruleId" : "MAX_LENGTH_DECREASED"')
return true

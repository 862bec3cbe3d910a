// Publish schemas/ in a new git repository (the project folder), then edit the published v1.
def git(String... args) {
    def cmd = ['git', '-c', 'user.name=Herald IT', '-c', 'user.email=it@herald.dev', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false'] + args.toList()
    def p = new ProcessBuilder(cmd).directory(basedir).redirectErrorStream(true).start()
    def out = p.inputStream.text
    assert p.waitFor() == 0 : "git ${args.join(' ')} failed: ${out}"
}
git('init', '-q')
git('add', 'schemas')
git('commit', '-q', '-m', 'publish order.created v1')
def v1 = new File(basedir, 'schemas/events/order.created/v1.json')
v1.text = v1.text.replace('"maxLength": 200', '"maxLength": 150')
return true

import json, subprocess, collections, sys, re
f = sys.argv[1]
def events(name):
    out = subprocess.run(['jfr', 'print', '--json', '--events', name, f], capture_output=True, text=True).stdout
    return json.loads(out)['recording']['events']
def part(thread):
    t = thread.lower()
    rules = [('worker', r'worker|experience|^env-'), ('encoder', r'encoder|streamthread|stream-thread'),
             ('learner (Flink)', r'learn|flink|window|sequenc|source|sink|pekko|rpc|mailbox|checkpoint|legacy|async|jobmanager|taskmanager'),
             ('evaluator', r'evaluator|real-check'), ('serving', r'javalin|jetty|qtp|dashboard|registry|serving|thinn|panel'),
             ('kafka broker', r'kafka|raft|broker|controller|log-cleaner|replica|data-plane|request-handler|group-coord|quorum|metadata|socket|processor|transaction'),
             ('jvm', r'gc|g1|c1|c2|compiler|vm thread|jfr|signal|reference|finalizer|common-cleaner|attach|service thread|sweeper')]
    for name, rx in rules:
        if re.search(rx, t): return name
    return 'other'
load = collections.defaultdict(float); n = collections.Counter(); names = collections.defaultdict(float)
for e in events('jdk.ThreadCPULoad'):
    v = e['values']; th = v['eventThread']['javaName'] or v['eventThread']['osName'] or '?'
    c = v['user'] + v['system']
    load[part(th)] += c; names[th] += c
samples = len(set(e['values']['startTime'] for e in events('jdk.ThreadCPULoad')))
cpu = events('jdk.CPULoad')
jvm = sum(e['values']['jvmUser'] + e['values']['jvmSystem'] for e in cpu) / len(cpu)
print(f'process CPU (jvm user+system, share of all cores): {jvm*100:.1f} % over {len(cpu)} samples')
total = sum(load.values())
# ThreadCPULoad is per-thread share of one... normalise by sampling periods
periods = samples
print('Java threads by part (mean share of all cores):')
for k, v in sorted(load.items(), key=lambda x: -x[1]):
    print(f'  {k:16s} {v/periods*100:6.1f} %')
print(f'  {"native pools":16s} {max(0, jvm*100 - total/periods*100):6.1f} %  (ONNX Runtime and PyTorch threads, not Java threads)')
print('top Java threads:')
for k, v in sorted(names.items(), key=lambda x: -x[1])[:15]:
    print(f'  {v/periods*100:6.1f} %  {k}  [{part(k)}]')
top = collections.Counter(); by = collections.defaultdict(collections.Counter)
for ev in ('jdk.ExecutionSample',):
    for e in events(ev):
        v = e['values']; fr = v['stackTrace']['frames'] if v.get('stackTrace') else []
        if not fr: continue
        th = v['sampledThread']['javaName'] or '?'
        m = fr[0]['method']; key = m['type']['name'] + '.' + m['name']
        top[key] += 1; by[part(th)][key] += 1
s = sum(top.values())
print(f'hot methods ({s} samples of threads running Java code):')
for k, c in top.most_common(20):
    print(f'  {c/s*100:5.1f} %  {k}')
for p, cnt in by.items():
    t = sum(cnt.values())
    print(f'[{p}] {t} samples: ' + '; '.join(f'{k.split(".")[-2]}.{k.split(".")[-1]} {c/t*100:.0f}%' for k, c in cnt.most_common(4)))

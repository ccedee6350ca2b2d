"""Reduce a real HPROF dump to a small seed by dropping whole records, never altering one: keeps the header, every
FRAME/TRACE/HEAP_DUMP_END, the LOAD_CLASS + CLASS_DUMP of the classes of kept objects (and their superclasses),
the STRINGs they name, every GC root whose object is kept, and a budget of instance/array sub-records."""
import struct, sys
src, dst, budget = sys.argv[1], sys.argv[2], int(sys.argv[3])
b = open(src, 'rb').read()
hdr_end = b.index(b'\0') + 1
ids = struct.unpack('>I', b[hdr_end:hdr_end+4])[0]
assert ids == 8
p = hdr_end + 12
recs = []
while p + 9 <= len(b):
    tag = b[p]; ln = struct.unpack('>I', b[p+5:p+9])[0]
    recs.append((tag, p, p + 9 + ln)); p += 9 + ln
def rid(buf, o): return struct.unpack('>Q', buf[o:o+8])[0]
SZ = {2: 8, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}
# parse heap dump sub-records
subs = []  # (kind, start, end, objid, classid, refs)
class_super = {}; class_names_ids = {}; class_field_names = {}
for tag, s, e in recs:
    if tag not in (0x0c, 0x1c): continue
    q = s + 9
    while q < e:
        st = b[q]; o = q + 1
        if st == 0xff: o += 8; subs.append(('root', q, o, rid(b, q+1), None)); q = o; continue
        if st == 0x01: o += 16; subs.append(('root', q, o, rid(b, q+1), None)); q = o; continue
        if st in (0x02, 0x03, 0x08): o += 16; subs.append(('root', q, o, rid(b, q+1), None)); q = o; continue
        if st in (0x04, 0x06): o += 12; subs.append(('root', q, o, rid(b, q+1), None)); q = o; continue
        if st in (0x05, 0x07): o += 8; subs.append(('root', q, o, rid(b, q+1), None)); q = o; continue
        if st == 0x20:
            cid = rid(b, o); sup = rid(b, o + 12); o += 8 + 4 + 8*6 + 4
            names = []
            n = struct.unpack('>H', b[o:o+2])[0]; o += 2
            for _ in range(n): t = b[o+2]; o += 3 + SZ[t]
            n = struct.unpack('>H', b[o:o+2])[0]; o += 2
            for _ in range(n): names.append(rid(b, o)); t = b[o+8]; o += 9 + SZ[t]
            n = struct.unpack('>H', b[o:o+2])[0]; o += 2
            for _ in range(n): names.append(rid(b, o)); o += 9
            class_super[cid] = sup; class_field_names[cid] = names
            subs.append(('class', q, o, cid, None)); q = o; continue
        if st == 0x21:
            oid = rid(b, o); cid = rid(b, o + 12); n = struct.unpack('>I', b[o+20:o+24])[0]; o += 24 + n
            subs.append(('inst', q, o, oid, cid)); q = o; continue
        if st == 0x22:
            oid = rid(b, o); n = struct.unpack('>I', b[o+12:o+16])[0]; cid = rid(b, o + 16); o += 24 + 8*n
            subs.append(('oarr', q, o, oid, cid)); q = o; continue
        if st == 0x23:
            oid = rid(b, o); n = struct.unpack('>I', b[o+12:o+16])[0]; t = b[o+16]; o += 17 + SZ[t]*n
            subs.append(('parr', q, o, oid, None)); q = o; continue
        raise SystemExit('unknown subrecord %x at %d' % (st, q))
load = {}  # class id -> (start, end, name id)
strings = {}
for tag, s, e in recs:
    if tag == 0x02: load[rid(b, s+9+4)] = (s, e, rid(b, s+9+16))
    if tag == 0x01: strings[rid(b, s+9)] = (s, e)
name_of = {cid: b[strings[v[2]][0]+17:strings[v[2]][1]].decode() for cid, v in load.items() if v[2] in strings}
# choose objects: instances of app classes first, then every k-th object, within the budget
objs = [x for x in subs if x[0] in ('inst', 'oarr', 'parr')]
pref = [x for x in objs if x[4] in name_of and not name_of[x[4]].startswith(('java/', 'jdk/', 'sun/'))]
step = max(1, len(objs) // budget)
keep = set(x[3] for x in pref[:budget // 4])
for x in objs[::step]:
    if len(keep) >= budget: break
    keep.add(x[3])
classes = set()
for x in objs:
    if x[3] in keep and x[4] is not None: classes.add(x[4])
for n in ('java/lang/Object', 'java/lang/String', 'java/lang/Class', 'java/lang/Thread', 'java/lang/StringBuilder'):
    classes.update(c for c, nm in name_of.items() if nm == n)
for c in list(classes):
    while c in class_super and class_super[c] and class_super[c] not in classes:
        c = class_super[c]; classes.add(c)
need_strings = set(load[c][2] for c in classes if c in load)
for c in classes: need_strings.update(class_field_names.get(c, []))
out = bytearray(b[:hdr_end + 12])
def keep_sub(x):
    k = x[0]
    if k == 'root': return x[3] in keep or x[3] in classes
    if k == 'class': return x[3] in classes
    return x[3] in keep
si = 0
for tag, s, e in recs:
    if tag == 0x01:
        if rid(b, s+9) in need_strings: out += b[s:e]
    elif tag == 0x02:
        if rid(b, s+9+4) in classes: out += b[s:e]
    elif tag in (0x0c, 0x1c):
        body = bytearray()
        for x in subs:
            if s < x[1] < e and keep_sub(x): body += b[x[1]:x[2]]
        out += bytes([tag]) + b[s+1:s+5] + struct.pack('>I', len(body)) + body
    else:
        out += b[s:e]
open(dst, 'wb').write(out)
print(len(b), '->', len(out), 'classes', len(classes), 'objects', len(keep), 'strings', len(need_strings))

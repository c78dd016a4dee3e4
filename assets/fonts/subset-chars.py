import glob, gzip, json, os
cs = set()
for b1 in range(0xB0, 0xF8):
    for b2 in range(0xA1, 0xFF):
        try: cs.add(bytes([b1,b2]).decode('gb2312'))
        except: pass
for b1 in range(0xA4, 0xFA):
    for b2 in list(range(0x40,0x7F))+list(range(0xA1,0xFF)):
        try: cs.add(bytes([b1,b2]).decode('big5'))
        except: pass
han = len(cs)
for r in [(0x20,0x7F),(0xA0,0x250),(0x2000,0x2070),(0x2100,0x2150),(0x2150,0x2190),(0x2190,0x2200),(0x2460,0x24FF),(0x25A0,0x2600),(0x3000,0x3040),(0xFF00,0xFFF0),(0x3200,0x3300),(0x2E80,0x2EFF),(0x1E00,0x1F00),(0x300,0x370)]:
    cs.update(chr(c) for c in range(*r))
files = glob.glob('/work/shared/data/zh/**/*', recursive=True)+glob.glob('/work/shared/data/seed/**/*', recursive=True)+glob.glob('/work/main/assets/**/*', recursive=True)+glob.glob('/work/main/src/**/*.rs', recursive=True)
extra=0
for f in files:
    if os.path.isfile(f) and os.path.getsize(f) < 200_000_000:
        try:
            t = (gzip.open(f, 'rt', encoding='utf-8') if f.endswith('.gz') else open(f, encoding='utf-8')).read()
        except Exception: continue
        for ch in t:
            if ord(ch) >= 0x2E80 and ch not in cs:
                cs.add(ch); extra+=1
print(han, extra, len(cs), file=os.sys.stderr)
open('chars.txt','w').write(''.join(sorted(cs)))

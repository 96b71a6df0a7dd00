import re,sys,statistics as st
# How much the dream's score of the search population jumps when a new checkpoint arrives,
# against how much it moves between generations on the same checkpoint.
pat=re.compile(r"v(\d+) generation (\d+): dream best (-?[\d.]+) mean (-?[\d.]+)")
for path in sys.argv[1:]:
    rows=[(int(m[1]),int(m[2]),float(m[4])) for m in map(pat.search,open(path)) if m]
    within=[];across=[]
    for (v0,g0,m0),(v1,g1,m1) in zip(rows,rows[1:]):
        (within if v1==v0 else across).append(abs(m1-m0))
    half=len(rows)//3
    print(f"{path}: generations {len(rows)}, mean |Δ dream mean| same checkpoint {st.mean(within):.1f} (n={len(within)}), new checkpoint {st.mean(across):.1f} (n={len(across)})")

#!/usr/bin/env python3
"""Fit the phenotype score's weights offline and measure alternatives (README "Phenotypes").

Usage: pheno_fit.py [--part tune|rest|all] [--quick] [--features BIN] [--work DIR]
Needs numpy and scipy (Debian: python3-numpy python3-scipy, run with /usr/bin/python3) and the
feature dumper tests/bench/pheno_features.c built as build/bench/pheno_features (its header has
the command). Writes the chosen part of phenopacket-store's development half (every 4th case
from the first: the tuning quarter; all choices are made there) as a case list, dumps every
case's features against ../shared/data/hpo, and prints, per case top-1 / top-10 / true gene +
100 random protein-coding genes top-1, the median rank and the same per gene (macro), as
pheno_eval.py counts them (ties against us; the same random genes):
  * the method as it is (the gene score the dumper records);
  * a conditional-logit fit of the disease score's weights (softmax over all annotated genes of
    the gene score, which keeps its log-sum-exp over diseases at temperature 0.2 and the priors
    for genes per disease and provisional links as fitted terms), in sample and 2-fold
    cross-validated within the part (folds by gene), alone and with each further disease
    feature (skipped with --quick);
  * the same weights fitted to a smooth form of the targets (expected top-1 among 24 random
    annotated genes + smooth top-10) instead of the likelihood;
  * gene-level features added linearly to the gene score (fitted the same way);
  * the gene's aggregation: temperature and a division by its number of diseases;
  * a hub correction (each gene's mean score over the part's cases held against it).
"""
import numpy as np, csv, gzip, random, collections, sys, os, subprocess, zlib
from scipy import sparse
from scipy.optimize import minimize
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data")
CASES = os.path.join(DATA, "phenopacket-store-dev", "cases-dev.tsv")
def load(prefix):
    meta=[l.rstrip('\n').split('\t') for l in open(prefix+'.meta.tsv')]
    ND,FD=int(meta[0][1]),int(meta[0][2]); NG,FG=int(meta[1][1]),int(meta[1][2])
    dis=[m[1] for m in meta if m[0]=='D']; dng=np.array([int(m[2]) for m in meta if m[0]=='D'])
    genes=[];pg=[];pd=[];pv=[]
    for m in meta:
        if m[0]!='G': continue
        g=len(genes); genes.append(m[1])
        for x in m[2:]:
            a,b=x.split(':'); pg.append(g); pd.append(int(a)); pv.append(int(b))
    cases=[(m[1],int(m[2])) for m in meta if m[0]=='C']
    C=len(cases)
    X=np.fromfile(prefix+'.dis.f32',dtype=np.float32).reshape(C,ND,FD)
    Z=np.fromfile(prefix+'.gene.f32',dtype=np.float32).reshape(C,NG,FG)
    return dict(dis=dis,dng=dng,genes=genes,pg=np.array(pg),pd=np.array(pd),pv=np.array(pv),cases=cases,X=X,Z=Z)

def truth(data, part):
    cases=list(csv.DictReader(open(CASES),delimiter='\t'))
    sel=[c for ci,c in enumerate(cases) if (part=='tune' and ci%4==0) or (part=='rest' and ci%4) or part=='all']
    idx=[ci for ci,c in enumerate(cases) if (part=='tune' and ci%4==0) or (part=='rest' and ci%4) or part=='all']
    assert [c['id'] for c in sel]==[c[0] for c in data['cases']]
    gi={g:i for i,g in enumerate(data['genes'])}
    alias=collections.defaultdict(set); coding=[]
    with gzip.open(DATA+'/debian-r-bioc-org.hs.eg.db/gene_symbols.org.Hs.eg.db.tsv.gz','rt') as f:
        for row in csv.DictReader(f,delimiter='\t'):
            if row['gene_type']=='protein-coding': coding.append(row['symbol'])
            for a in (row['aliases'] or '').split(';'):
                if a: alias[a].add(row['symbol'])
    coding=sorted(set(coding)); rev=collections.defaultdict(set)
    for a,s in alias.items():
        for x in s: rev[x].add(a)
    T=[];pools=[];glab=[];nfree=[]
    for ci,c in zip(idx,sel):
        g=c['gene']
        if g not in gi:
            cand=sorted(a for a in alias.get(g,set())|rev.get(g,set()) if a in gi)
            if cand: g=cand[0]
        T.append(gi.get(g,-1)); glab.append(c['gene'])
        rng=random.Random(1*1000003+ci); pool=rng.sample(coding,101)
        pool=[x for x in pool if x!=c['gene'] and x!=g][:100]
        pools.append(np.array([gi[x] for x in pool if x in gi],dtype=int))
        nfree.append(len(pool)-len(pools[-1]))   # random genes without annotation: score 0
    return np.array(T),(pools,nfree),glab

class Model:
    def __init__(s,data,dfeat,gfeat,T=0.2,pair=('ng','prov')):
        s.d=data; s.dfeat=list(dfeat); s.gfeat=list(gfeat); s.T=T
        pg,pdd=data['pg'],data['pd']
        o=np.argsort(pg,kind='stable'); s.o=o; s.pg=pg[o]; s.pd=pdd[o]
        s.starts=np.r_[0,np.flatnonzero(np.diff(s.pg))+1]
        assert len(s.starts)==len(data['genes'])
        P=[]
        if 'ng' in pair: P.append(-np.log(data['dng'][s.pd]))
        if 'prov' in pair: P.append(-data['pv'][o].astype(float))
        s.P=np.array(P).T if P else np.zeros((len(o),0))
        s.M=sparse.csr_matrix((np.ones(len(o)),(np.arange(len(o)),s.pd)),shape=(len(o),len(data['dis'])))
        if not s.dfeat: s.P=np.zeros((len(o),0))
        s.nth=len(s.dfeat)+s.P.shape[1]+len(s.gfeat)
    def split(s,th):
        a=len(s.dfeat); b=a+s.P.shape[1]; return th[:a],th[a:b],th[b:]
    def util(s,th,cases,grad=False,true=None,l2=0):
        td,tp,tg=s.split(th); X=s.d['X']; Z=s.d['Z']
        L=0; G=np.zeros(s.nth); U=[]
        for c0 in range(0,len(cases),64):
            cs=cases[c0:c0+64]
            Xc=X[cs][:,:,s.dfeat].astype(np.float64) if s.dfeat else None
            sd=Xc@td if s.dfeat else np.zeros((len(cs),X.shape[1]))
            if s.dfeat:
                v=sd[:,s.pd]+s.P@tp
                mx=np.maximum.reduceat(v,s.starts,axis=1)
                ev=np.exp((v-mx[:,s.pg])/s.T)
                se=np.add.reduceat(ev,s.starts,axis=1)
                u=mx+s.T*np.log(se)
            else: u=np.zeros((len(cs),Z.shape[1]))
            Zc=Z[cs][:,:,s.gfeat].astype(np.float64) if s.gfeat else None
            if s.gfeat: u=u+Zc@tg
            U.append(u)
            if grad:
                t=true[c0:c0+64]
                if getattr(s,'smooth',None):
                    tau=s.smooth; ut=u[np.arange(len(cs)),t][:,None]
                    z=np.clip((u-ut)/tau,-50,50); sg=1/(1+np.exp(-z)); sg[np.arange(len(cs)),t]=0
                    q=sg.sum(1)
                    o1=np.exp(-24*q/4888); s10=1/(1+np.exp(-(9.5-q)/1.5))
                    L+=np.sum(o1+s10)
                    dq=-24/4888*o1 - s10*(1-s10)/1.5
                    e=dq[:,None]*sg*(1-sg)/tau
                    e[np.arange(len(cs)),t]=-e.sum(1)
                else:
                    m=u.max(1,keepdims=True); p=np.exp(u-m); Zs=p.sum(1,keepdims=True); p/=Zs
                    L+=np.sum(u[np.arange(len(cs)),t]-m[:,0]-np.log(Zs[:,0]))
                    e=-p; e[np.arange(len(cs)),t]+=1
                if s.dfeat:
                    w=ev/se[:,s.pg]
                    a=e[:,s.pg]*w
                    A=(s.M.T@a.T).T
                    gd=np.einsum('cd,cdf->f',A,Xc)
                    gp=(a@s.P).sum(0)
                else: gd=gp=np.zeros(0)
                gg=np.einsum('cg,cgf->f',e,Zc) if s.gfeat else np.zeros(0)
                G+=np.r_[gd,gp,gg]
        U=np.vstack(U)
        if grad:
            return -L+l2*np.sum(th**2), -G+2*l2*th
        return U
    def fit(s,cases,true,th0,l2=1.0,maxiter=200,free=None):
        free=np.ones(len(th0),bool) if free is None else np.array(free)
        def f(x):
            th=th0.copy(); th[free]=x
            v,g=s.util(th,cases,True,true,l2); return v,g[free]
        r=minimize(f,th0[free],jac=True,method='L-BFGS-B',options=dict(maxiter=maxiter))
        th=th0.copy(); th[free]=r.x
        return th, r.fun

def metrics(U,T,pools,glab=None):
    """pheno_eval.py's counts: ties against us; unannotated random genes score 0"""
    pools,nfree=pools; ranks=[]; n=len(T)
    per=collections.defaultdict(list)
    for i in range(n):
        t=T[i]
        if t<0: ranks.append(10**9); per[glab[i] if glab else i].append((10**9,101)); continue
        u=U[i]; ts=u[t]; rank=int(np.sum(u>=ts))
        b=int(np.sum(u[pools[i]]>=ts))+(nfree[i] if ts<=0 else 0); ranks.append(rank)
        per[glab[i] if glab else i].append((rank,1+b))
    ranks=np.array(ranks)
    top1=np.mean(ranks<=1); top10=np.mean(ranks<=10)
    r101=np.mean([q<=1 for v in per.values() for _,q in v])
    med=np.median(ranks)
    pg1=np.mean([np.mean([r<=1 for r,_ in v]) for v in per.values()])
    pg10=np.mean([np.mean([r<=10 for r,_ in v]) for v in per.values()])
    pg101=np.mean([np.mean([q<=1 for _,q in v]) for v in per.values()])
    return '%.1f / %.1f / %.1f  med %g | gene %.1f / %.1f / %.1f'%(100*top1,100*top10,100*r101,med,100*pg1,100*pg10,100*pg101)

def in_part(ci, part):
    return part == 'all' or (part == 'tune') == (ci % 4 == 0)

def main():
    args = sys.argv[1:]
    opt = lambda k, v: args[args.index(k) + 1] if k in args else v
    part, quick = opt('--part', 'tune'), '--quick' in args
    work = opt('--work', os.path.join(ROOT, 'build', 'bench', 'pheno_fit'))
    exe = opt('--features', os.path.join(ROOT, 'build', 'bench', 'pheno_features'))
    os.makedirs(work, exist_ok=True)
    prefix = os.path.join(work, part)
    with open(CASES) as f, open(prefix + '.cases.txt', 'w') as o:
        for ci, c in enumerate(csv.DictReader(f, delimiter='\t')):
            if in_part(ci, part):
                t = [x for x in c['observed_hpo'].split(',') if x] + ['!' + x for x in c['excluded_hpo'].split(',') if x]
                o.write(c['id'] + '\t' + ','.join(t) + '\n')
    subprocess.run([exe, os.path.join(DATA, 'hpo'), prefix + '.cases.txt', prefix], check=True)
    d = load(prefix); T, pools, glab = truth(d, part)
    ok = np.flatnonzero(T >= 0); allc = np.arange(len(T))
    fold = np.array([zlib.crc32(g.encode()) % 2 for g in glab])
    print(f'{part}: {len(T)} cases, {len(ok)} with an annotated gene; top-1 / top-10 / 101 genes top-1, median rank | per gene')
    print('the method as it is    ', metrics(d['Z'][:, :, 5], T, pools, glab), flush=True)

    def run(name, dfeat, gfeat, th0, smooth=None, free=None, l2=1.0):
        m = Model(d, dfeat, gfeat, T=0.2); m.smooth = smooth
        th0 = np.array(th0, float)
        th, _ = m.fit(ok, T[ok], th0, l2=l2, free=free, maxiter=60 if smooth else 200)
        print(f'{name:23s}', metrics(m.util(th, allc), T, pools, glab), 'weights', np.round(th, 3), flush=True)
        U = np.zeros((len(T), len(d['genes'])))
        for k in (0, 1):
            tr = ok[fold[ok] != k]
            th2, _ = m.fit(tr, T[tr], th0, l2=l2, free=free, maxiter=60 if smooth else 200)
            te = np.flatnonzero(fold == k); U[te] = m.util(th2, te)
        print(f'{"  cross-validated":23s}', metrics(U, T, pools, glab), flush=True)

    # disease features: 0 patient->disease, 3 disease->patient, 4 ln terms, 5 exact, 6 chance, 7 conflicts
    cur, w = [0, 3, 4, 5, 6, 7], [.75, .25, -.1, .5, -.3, -.2, .2, .3]
    run('likelihood fit', cur, [], w)
    if not quick:
        for f, nm in ((1, 'no frequency'), (2, '1 * ln w'), (8, 'sim / IC'), (9, 'd->p no pseudo-weight'), (10, 'best pair')):
            run('  + ' + nm, cur + [f], [], w[:6] + [0] + w[6:])
    fr = [False] + [True] * 7   # the patient's direction fixed at 0.75: the smooth targets have a scale
    run('smooth-target fit', cur, [], w, smooth=0.05, free=fr, l2=0.0)
    run('  + best pair', cur + [10], [], w[:6] + [0] + w[6:], smooth=0.05, free=fr + [True], l2=0.0)
    for f, nm in ((0, 'ln diseases'), (1, 'union p->d'), (2, 'union exact'), (3, 'organ systems'), (4, 'ln union terms')):
        run('gene score + ' + nm, [], [5, f], [1, 0])
    run('gene score + all five', [], [5, 0, 1, 2, 3, 4], [1, 0, 0, 0, 0, 0])
    lnn = d['Z'][0, :, 0].astype(float)
    for Tt in (0.2, 0.3, 0.5):
        U = Model(d, cur, [], T=Tt).util(np.array(w), allc)
        for a in (0, 0.3, 0.6, 1.0):
            print(f'temperature {Tt}, - {a} T ln n', metrics(U - a * Tt * lnn, T, pools, glab), flush=True)
    U = d['Z'][:, :, 5].astype(float); hub = U.mean(0)
    for a in (0.1, 0.3):
        print(f'hub correction {a}      ', metrics(U - a * hub, T, pools, glab), flush=True)

main()

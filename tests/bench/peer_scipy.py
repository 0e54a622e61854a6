#!/usr/bin/python3
"""peer_scipy.py - the scipy.sparse peer of bench_state: the restricted
scoring of SPEC section 3 (the learner's direct levels only) as sparse
linear algebra over the peer tables bench_state builds.

Usage: peer_scipy.py PEERDB LEARNERS_FILE [REPS]

Prints one line per learner, `top LEARNER JOB...` (at most 10 ids, best
first), then `setup_s S` and `p50_ms MS`: the median over learners of each
learner's (lower) median time, over REPS runs (default 5), from its id to its top 10.

Coverage is kept in twelfths: for need n in 1..4, 12 * min(1, L / n) =
min(12, 12 * L // n) is a whole number, so with the columns of the
requirement matrix indexed by (skill, need) the learner's vector
x[(s, n)] = min(12, 12 * L(s) // n) makes the coverage of every alternative
one sparse product, exact in integers."""

import sqlite3
import sys
import time

import numpy as np
import scipy.sparse as sp

TOPK = 10


class Peer:
    def __init__(self, path):
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        jobs = con.execute("SELECT id, total FROM peer_job ORDER BY id").fetchall()
        # index order is id order (ASCII ids: str order is byte order), so
        # ties on score break on the index
        self.job_ids = [j for j, _ in jobs]
        job_index = {j: i for i, j in enumerate(self.job_ids)}
        self.total = np.array([t for _, t in jobs], dtype=np.float64)

        skills = [s for (s,) in con.execute("SELECT DISTINCT skill FROM peer_req ORDER BY skill")]
        self.skill_index = {s: i for i, s in enumerate(skills)}
        ncols = 4 * len(skills)

        rows = con.execute(
            "SELECT job, pos, skill, level, importance FROM peer_req ORDER BY job, pos"
        ).fetchall()
        nalt = len(rows)
        alt_col = np.empty(nalt, dtype=np.int64)
        req_start = []  # first alternative of each requirement
        req_job, req_imp = [], []
        last = None
        for k, (job, pos, skill, level, importance) in enumerate(rows):
            alt_col[k] = 4 * self.skill_index[skill] + (level - 1)
            if (job, pos) != last:
                last = (job, pos)
                req_start.append(k)
                req_job.append(job_index[job])
                req_imp.append(importance)
        nreq = len(req_start)
        # alternatives x (skill, need): one 1 per row; CSC so that a
        # learner's few nonzero columns are taken alone
        self.alts = sp.csc_matrix(
            (np.ones(nalt, dtype=np.int64), (np.arange(nalt), alt_col)),
            shape=(nalt, ncols),
        )
        self.req_start = np.array(req_start, dtype=np.int64)
        # reduceat over every requirement costs far more than the products
        # (a few hundred thousand segments of one alternative each), so it
        # runs over the any_of requirements alone; the others take their
        # one alternative as it is
        count = np.diff(np.append(self.req_start, nalt))
        self.multi = np.flatnonzero(count > 1)
        spans = [np.arange(self.req_start[r], self.req_start[r] + count[r]) for r in self.multi]
        self.multi_alts = np.concatenate(spans) if spans else np.zeros(0, dtype=np.int64)
        self.multi_start = np.append(0, np.cumsum(count[self.multi]))[:-1].astype(np.int64)
        # jobs x requirements, the importance of each
        self.weights = sp.csr_matrix(
            (np.array(req_imp, dtype=np.int64), (np.array(req_job), np.arange(nreq))),
            shape=(len(self.job_ids), nreq),
        )
        self.levels = {}
        for learner, skill, level in con.execute("SELECT learner, skill, level FROM learner_skill"):
            if skill in self.skill_index:  # no open job asks for it otherwise
                self.levels.setdefault(learner, []).append((self.skill_index[skill], level))
        con.close()
        self.need = np.arange(1, 5, dtype=np.int64)

    def top(self, learner):
        held = self.levels.get(learner)
        if not held:
            return []
        s = np.array([k for k, _ in held], dtype=np.int64)
        lv = np.array([v for _, v in held], dtype=np.int64)
        cols = (4 * s[:, None] + np.arange(4)).ravel()
        vals = np.minimum(12, 12 * lv[:, None] // self.need).ravel()
        cover = self.alts[:, cols] @ vals  # coverage in twelfths per alternative
        best = cover[self.req_start]  # the best alternative of each requirement
        if len(self.multi):
            best[self.multi] = np.maximum.reduceat(cover[self.multi_alts], self.multi_start)
        num = self.weights @ best
        score = num / self.total
        cand = np.flatnonzero(num > 0)
        if len(cand) > TOPK:
            # the 10th best score, then every job at least as good so that
            # ties at the cut are ordered by id below
            kth = np.partition(-score[cand], TOPK - 1)[TOPK - 1]
            cand = cand[-score[cand] <= kth]
        order = np.lexsort((cand, -score[cand]))[:TOPK]
        return [self.job_ids[j] for j in cand[order]]


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: peer_scipy.py PEERDB LEARNERS_FILE [REPS]")
    reps = int(sys.argv[3]) if len(sys.argv) == 4 else 5
    t0 = time.perf_counter()
    peer = Peer(sys.argv[1])
    setup = time.perf_counter() - t0
    with open(sys.argv[2], encoding="utf-8") as f:
        learners = [line.strip() for line in f if line.strip()]

    per_learner = []
    answers = {}
    for learner in learners:
        times = []
        for _ in range(reps):
            t = time.perf_counter()
            answer = peer.top(learner)
            times.append(time.perf_counter() - t)
        answers[learner] = answer
        per_learner.append(sorted(times)[(reps + 1) // 2 - 1])
    for learner in learners:
        print("top", learner, *answers[learner])
    print(f"setup_s {setup:.3f}")
    # nearest rank, as bench_state takes its own percentiles
    per_learner.sort()
    p50 = per_learner[(len(per_learner) + 1) // 2 - 1] if per_learner else 0.0
    print(f"p50_ms {p50 * 1e3:.4f}")


if __name__ == "__main__":
    main()

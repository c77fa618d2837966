"""Importer speed: parse_file on the seed and on a generated ~2 MB task list.

Each figure is printed beside a raw baseline measured in the same run (reading the file and
splitting its lines), as a ratio, so the numbers mean something on any machine. Also checks
that time grows linearly: the 2 MB document's time per byte is compared with a 1 MB one's.

    python benchmarks/bench_importer.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from taizhang.plans.importer import parse_file  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from figures import figure  # noqa: E402

SEED = ROOT.parent / "shared" / "seed" / "000_2284f9ce5468ae96.txt"
CN = "一二三四五六七八九十"


def _cn(n: int) -> str:
    """1..99 as a Chinese numeral (一 … 九十九)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN[tens - 1] + "十")
    return head + (CN[ones - 1] if ones else "")


def generate(target_bytes: int) -> str:
    """A task list of about ``target_bytes`` UTF-8 bytes: the seed's sentences recombined into
    sections 一、… with tasks 1. and sub-tasks （1）, deadlines, recurrences and owners varied.
    Section numbers restart in new parts (第N部分) so labels stay in range."""
    seed_lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if len(line) > 30]
    months = ["9月底之前", "10月15日前", "11月中旬前", "年底前", "2024年1月底前", "第一季度", "长期坚持"]
    heads = ["抓好领导班子学习", "抓实基层党组织建设", "强化党员教育管理", "推进检视整改"]
    out = ["压力测试任务清单", "本次工作从2023年9月开始，2024年1月基本结束。"]
    size = 0
    part = 0
    while size < target_bytes:
        part += 1
        out.append(f"第{_cn((part - 1) % 99 + 1)}部分 第{part}批任务")
        for s in range(1, 11):
            out.append(f"{_cn(s)}、{heads[(part + s) % 4]}")
            out.append("（牵头单位：党委办公室；责任单位：各党支部）" if s % 2 else "以党支部为单位推进。")
            for t in range(1, 9):
                body = seed_lines[(part * 31 + s * 7 + t) % len(seed_lines)]
                out.append(f"{t}.召开党委会研究部署，{months[(s + t) % len(months)]}完成。{body[:120]}")
                if t % 3 == 0:
                    for k in range(1, 4):
                        out.append(f"（{k}）每月至少安排1天集中学习，{body[-60:]}")
                out.append(body[20:140] + "##paidend##")
        size = sum(len(line.encode("utf-8")) + 1 for line in out)
    return "\n".join(out) + "\n"


def baseline(path: Path) -> None:
    path.read_text(encoding="utf-8").splitlines()


def median_time(func, path: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(label: str, path: Path, repeat: int) -> float:
    raw = median_time(baseline, path, repeat)
    parsed = median_time(parse_file, path, repeat)
    size = path.stat().st_size
    print(f"{label:<14} {size / 1e6:6.2f} MB  parse_file {parsed * 1000:9.2f} ms   "
          f"read+split {raw * 1000:7.3f} ms   ratio {parsed / raw:8.1f}x   "
          f"{size / parsed / 1e6:6.2f} MB/s")
    figure(f"parse_{label.replace(' ', '_')}", parsed * 1000, "ms", parsed / raw)
    return parsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per measurement (median)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.txt"
        half = Path(tmp) / "half.txt"
        big.write_text(generate(2_000_000), encoding="utf-8")
        half.write_text(generate(1_000_000), encoding="utf-8")
        draft = parse_file(big)
        tasks = sum(1 for node in draft.walk())
        print(f"generated document: {big.stat().st_size} bytes, {tasks} items, "
              f"{len(draft.diagnostics)} diagnostics")
        report("seed", SEED, args.repeat * 3)
        t_half = report("generated 1MB", half, max(3, args.repeat // 2))
        t_big = report("generated 2MB", big, max(3, args.repeat // 2))
        per_byte = (t_big / big.stat().st_size) / (t_half / half.stat().st_size)
        print(f"linearity: time per byte at 2 MB / at 1 MB = {per_byte:.2f} (1.0 = linear)")


if __name__ == "__main__":
    main()

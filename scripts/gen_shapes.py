#!/usr/bin/env python3
"""Generate special reports of many shapes, to lay out and look at.

    python3 scripts/gen_shapes.py --seed 7 --count 30 --out /tmp/shapes
    python3 scripts/gen_shapes.py --shape no-banner --out /tmp/shapes

Each shape is a folder with `report.toml`; the photos are shared in
`OUT/photos/` (render with `--root OUT`). What varies, from the seed:
- the number of sections (1-20) and their lengths (100-6,000 characters);
- photos per section (0-4) in landscape, portrait, square and panorama
  formats, with random focal points;
- which optional parts are present: banner, lede (核心提示 or 编者按),
  key figures, data box, quote, chart, credits.

The text is drawn from the example report's sentences, so it sets like
real copy (Han text with numbers, units and Latin letters). The photos are
crops of the repository's example photos. Named shapes (`--shape`) are the
ones a page editor meets: no-banner, long-story, many-sections,
portrait-photos, three-photos, short, roundup.
"""

import argparse
import json
import random
import re
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Pixel sizes of each photo format (width, height).
FORMATS = {
    "landscape": (3000, 2000),
    "wide": (3200, 1800),
    "four-three": (2800, 2100),
    "portrait": (2000, 3000),
    "tall": (1800, 2400),
    "square": (2400, 2400),
    "panorama": (3600, 1200),
}

SOURCES = ["banner-mountains.jpg", "ceramic-cups.jpg", "bridge-cables.jpg", "steel-facade.jpg"]

PLACES = ["涪陵", "万州", "黔江", "长寿", "江津", "合川", "永川", "南川", "綦江", "大足",
          "璧山", "铜梁", "潼南", "荣昌", "开州", "梁平", "武隆", "城口", "丰都", "垫江"]
TOPICS = ["现代产业蓄积新优势", "传统产业勃发新动能", "科技创新走出新模式", "绿色转型跑出加速度",
          "数字经济释放新活力", "开放平台拓展新空间", "乡村振兴绘就新图景", "民生保障织密幸福网"]


def toml_str(s):
    """A TOML basic string (JSON's escapes are valid TOML)."""
    return json.dumps(s, ensure_ascii=False)


def sentence_pool():
    report = tomllib.loads((REPO / "examples/fuling/report.toml").read_text(encoding="utf-8"))
    texts = [s["text"] for s in report["sections"]] + [report["lede"]["text"], report["quote"]["text"]]
    pool = []
    for text in texts:
        for s in re.findall(r"[^。！？]+[。！？]”?", text.replace("\n", "")):
            s = s.strip()
            if 8 <= len(s) <= 120:
                pool.append(s)
    return pool


def paragraphs(rng, pool, chars):
    """Paragraphs of 1-4 sentences, about `chars` characters in all."""
    out, total = [], 0
    while total < chars:
        para = "".join(rng.choice(pool) for _ in range(rng.randint(1, 4)))
        if total + len(para) > chars * 1.1 and out:
            para = para[: max(20, chars - total)].rstrip("，、；：") + "。"
        out.append(para)
        total += len(para)
    return "\n\n".join(out)


def make_photos(out):
    """One file per format and source, made once."""
    try:
        from PIL import Image
    except ImportError:
        sys.exit("gen_shapes.py needs Pillow: python3 -m pip install pillow")
    folder = out / "photos"
    folder.mkdir(parents=True, exist_ok=True)
    for name, (w, h) in FORMATS.items():
        for i, source in enumerate(SOURCES):
            path = folder / f"{name}-{i}.jpg"
            if path.exists():
                continue
            img = Image.open(REPO / "images" / source).convert("RGB")
            sw, sh = img.size
            if sw / sh > w / h:
                cw, ch = int(sh * w / h), sh
            else:
                cw, ch = sw, int(sw * h / w)
            x, y = (sw - cw) // 2, (sh - ch) // 2
            img.crop((x, y, x + cw, y + ch)).resize((w, h), Image.LANCZOS).save(path, quality=85)


def photo_block(rng, table, fmt):
    lines = [f"[[{table}]]", f'path = "../photos/{fmt}-{rng.randrange(len(SOURCES))}.jpg"']
    if rng.random() < 0.9:
        lines.append(f"caption = {toml_str(rng.choice(PLACES) + rng.choice(['生产车间', '项目现场', '产业园区一角', '新建厂房', '智能生产线']))}")
    if rng.random() < 0.4:
        lines.append(f'credit = "记者 {rng.choice(["王某", "李某", "张某"])} 摄"')
    if rng.random() < 0.5:
        lines.append(f"focus = [{rng.uniform(0.2, 0.8):.2f}, {rng.uniform(0.2, 0.8):.2f}]")
    return "\n".join(lines)


def report(rng, pool, spec):
    """A report in TOML from a shape spec."""
    out = [
        "[masthead]",
        'paper = "重庆日报"',
        'edition = "2024全国两会特别报道"',
        f'series = {toml_str(rng.choice(["3万亿后再出发", "高质量发展看区县", ""]))}',
        'date = "2024-03-05"',
        f"pages = [{rng.choice([4, 6, 8])}, {rng.choice([5, 7, 9])}]",
        "",
        "[headline]",
        f'kicker = {toml_str(rng.choice(["积蓄新优势 催生新动能", "", "奋力谱写新篇章"]))}',
        f'title = {toml_str(rng.choice(["涪陵 加快形成新质生产力", "区县 奋进新征程", "以新质生产力 推动高质量发展", "聚焦两会"]))}',
    ]
    if rng.random() < 0.5:
        out.append(f'subtitle = {toml_str("——" + rng.choice(PLACES) + "区高质量发展综述")}')
    if spec["banner"]:
        out += ["", "[banner]", f'photo = "../photos/{spec["banner"]}-{rng.randrange(len(SOURCES))}.jpg"']
        if rng.random() < 0.7:
            out.append(f'display = {toml_str("两江福地 产业强区 创新高地")}')
    if spec["lede"]:
        label = rng.choice(["核心提示", "编者按"])
        out += ["", "[lede]", f'label = "{label}"', f'text = """\n{paragraphs(rng, pool, spec["lede"])}\n"""']
    for i in range(spec["figures"]):
        out += ["", "[[figures]]", f'label = {toml_str(rng.choice(["规上工业产值", "工业增加值", "研发费用", "新增企业", "外贸进出口"]))}',
                f'value = "{rng.choice(["2471", "771", "11.2", "155", "44.5", "1200"])}"',
                f'unit = "{rng.choice(["亿元", "%", "家", "万吨"])}"']
        if rng.random() < 0.6:
            out.append(f'note = "{rng.choice(["区县第二", "增长8.7%", "全市第一"])}"')
    for i, (chars, photos) in enumerate(spec["sections"]):
        place = PLACES[i % len(PLACES)]
        heading = f"{place} {rng.choice(TOPICS)}" if spec.get("roundup") else rng.choice(TOPICS)
        out += ["", "[[sections]]", f"heading = {toml_str(heading)}", f'text = """\n{paragraphs(rng, pool, chars)}\n"""']
        for fmt in photos:
            out += ["", photo_block(rng, "sections.photos", fmt)]
    if spec["data_box"]:
        rows = ", ".join(
            f'{{ label = {toml_str(rng.choice(["总体规模", "质量效益", "产业结构", "企业培育", "绿色低碳"]))}, text = {toml_str(rng.choice(pool))} }}'
            for _ in range(rng.randint(2, 6)))
        out += ["", "[data_box]", 'title = "2024发展目标"', f"rows = [{rows}]"]
    if spec["quote"]:
        out += ["", "[quote]", 'label = "地方声音"', f'text = """\n{paragraphs(rng, pool, spec["quote"])}\n"""']
    if spec["credits"]:
        out += ["", "[credits]", 'reporters = ["刘玉珮", "龙搏"]', 'photos = "图片由涪陵区委宣传部提供"']
    if spec["chart"]:
        items = ", ".join(f'{{ label = "{rng.choice(TOPICS)[:4]}{k}", value = {rng.randint(50, 1500)} }}' for k in range(rng.randint(3, 6)))
        out += ["", "[[charts]]", 'title = "重点产业产值"', 'unit = "亿元"', "in_spread = true", f"items = [{items}]"]
    return "\n".join(out) + "\n"


def random_spec(rng):
    n = rng.choice([1, 2, 3, 3, 4, 5, 6, 7, 9, 13, 20])
    budget = rng.randint(1500, 12000)
    weights = [rng.random() + 0.2 for _ in range(n)]
    lengths = [max(100, min(6000, int(budget * w / sum(weights)))) for w in weights]
    sections = [(c, [rng.choice(list(FORMATS)) for _ in range(rng.choice([0, 0, 1, 1, 1, 2, 3, 4]))]) for c in lengths]
    return {
        "banner": rng.choice([None, "landscape", "wide", "panorama", "portrait", "landscape"]),
        "lede": rng.choice([0, 200, 350, 600]),
        "figures": rng.choice([0, 3, 4, 5, 7, 8]),
        "sections": sections,
        "data_box": rng.random() < 0.5,
        "quote": rng.choice([0, 0, 150, 400]),
        "credits": rng.random() < 0.8,
        "chart": rng.random() < 0.3,
        "roundup": n >= 9,
    }


def named_spec(name, rng):
    base = {"banner": "landscape", "lede": 350, "figures": 4, "data_box": True, "quote": 300,
            "credits": True, "chart": False, "roundup": False}
    shapes = {
        "no-banner": {"banner": None, "sections": [(1800, ["landscape"]), (1500, []), (2000, ["portrait"])]},
        "long-story": {"sections": [(6000, ["landscape", "square"])], "data_box": False},
        "many-sections": {"sections": [(rng.randint(200, 700), ["landscape"] if i % 2 else []) for i in range(13)], "roundup": True},
        "portrait-photos": {"banner": "portrait", "sections": [(1500, ["portrait"]), (1200, ["tall"]), (1600, ["portrait", "portrait"])]},
        "three-photos": {"sections": [(1400, ["landscape"]), (1800, ["landscape", "portrait", "square"]), (1300, [])]},
        "short": {"lede": 200, "figures": 3, "quote": 0, "sections": [(600, ["landscape"]), (500, [])]},
        "roundup": {"banner": None, "lede": 200, "figures": 0, "data_box": False, "quote": 0,
                    "sections": [(rng.randint(250, 500), ["landscape"] if i % 3 == 0 else []) for i in range(20)], "roundup": True},
    }
    if name not in shapes:
        sys.exit(f"unknown shape {name}; known: {', '.join(shapes)}")
    return {**base, **shapes[name]}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--shape", action="append", help="a named shape instead of random ones")
    parser.add_argument("--sections", type=int, help="one roundup of this many sections (for benchmarks)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pool = sentence_pool()
    make_photos(args.out)
    if args.sections:
        spec = named_spec("roundup", rng)
        spec["sections"] = [(rng.randint(200, 700), ["landscape"] if i % 3 == 0 else []) for i in range(args.sections)]
        specs = [(f"sections-{args.sections}", spec)]
    elif args.shape:
        specs = [(name, named_spec(name, rng)) for name in args.shape]
    else:
        specs = [(f"shape-{args.seed}-{i:02d}", random_spec(rng)) for i in range(args.count)]
    for name, spec in specs:
        folder = args.out / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "report.toml").write_text(report(rng, pool, spec), encoding="utf-8")
        print(folder / "report.toml")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""make-corpus.py: build the relevance-benchmark content tree bench/relevance/corpus/
from the public data of hongdienvbhp/BangNiemYetVinhBao (the posting board of
xã Vĩnh Bảo, Hải Phòng).

usage:
  python3 bench/relevance/make-corpus.py                 # from bench/relevance/source/
  python3 bench/relevance/make-corpus.py --mirror GITDIR # re-extract source/master-data-audit.tsv
                                                         # from a git mirror's data/master-data-audit.csv
                                                         # (HEAD, or --rev REV), then build

Inputs (bench/relevance/source/):
  master-data-audit.tsv  code, name, field, status, dates and decision numbers of every
                         audited procedure (293), extracted from data/master-data-audit.csv
  bodies/CODE.md         real section text (steps, documents, result) where the source has it
  details.tsv            real processing time and fee where the source has them
Output: corpus/site.yaml, corpus/procedures/<field-slug>/<code>.md, corpus/data/tu-dong-nghia.yaml.
The output is deterministic (sorted, no dates from the clock).
"""
import csv, io, os, re, shutil, subprocess, sys, unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "source")
OUT = os.path.join(HERE, "corpus")
REPO = "hongdienvbhp/BangNiemYetVinhBao"
AUDIT_COMMIT = "0708cc1afa7c46f5797dc487b2c9e309ca51be16"
AUDIT_URL = f"https://github.com/{REPO}/blob/{AUDIT_COMMIT}/data/master-data-audit.csv"
PLACEHOLDER = "Theo quy định hiện hành."

# status column of the audit CSV -> short code kept in the TSV
STATUS = {
    "priority51_current_official_commune_evidence": "P51",
    "official_commune_evidence_no_later_repeal_in_snapshot": "CE",
    "official_city_decision_commune_reception": "CR",
    "repealed_by_official_city_decision": "RC",
    "repealed_official_evidence": "RE",
    "future_effective_official_decision": "FE",
}
# decision-number lists repeated across many rows, abbreviated in the TSV
MACROS = {
    "@DD": "2003/QĐ-TTG; 2021/QĐ-TTG; 2025/QĐ-TTG; 1334/QĐ-BTP; 1478/QĐ-UBND; 1582/QĐ-UBND; 2021/QĐ-UBND; 2128/QĐ-BNNMT; 2304/QĐ-BNNMT; 34/QĐ-BTP; 6225/QĐ-BQP",
    "@DD2": "15/QĐ-UBND; 1334/QĐ-BTP; 1478/QĐ-UBND; 1582/QĐ-UBND; 2021/QĐ-TTG; 2021/QĐ-UBND; 2128/QĐ-BNNMT; 2304/QĐ-BNNMT; 34/QĐ-BTP; 6225/QĐ-BQP",
    "@NN": "1646/QĐ-UBND; 1858/QĐ-BNNMT; 1869/QĐ-BNNMT; 1877/QĐ-BNNMT; 1878/QĐ-BNNMT; 1883/QĐ-BNNMT; 1897/QĐ-BNNMT; 1908/QĐ-BNNMT; 1931/QĐ-BNNMT; 2198/QĐ-UBND; 2881/QĐ-UBND; 519/QĐ-UBND; 684/QĐ-UBND",
    "@LN": "01/QĐ-BNNMT; 04/QĐ-BNNMT; 2168/QĐ-UBND; 2787/QĐ-UBND; 5891/QĐ-BNNMT",
    "@TP": "1444/QĐ-BTP; 1458/QĐ-BTP",
    "@DN": "1996/QĐ-BTC; 1998/QĐ-BTC; 2884/QĐ-UBND",
    "@VH": "1263/QĐ-SVHTTDL; 2025/QĐ-UBND; 3817/QĐ-UBND; 680/QĐ-CT; 3101/QĐ-BVHTTDL; 3257/QĐ-BVHTTDL",
}
REV_MACROS = sorted(((v, k) for k, v in MACROS.items()), key=lambda x: -len(x[0]))

# Level is not a column of the audit CSV. Rule (documented in README.md):
#   CR rows are "Cấp tỉnh - tiếp nhận tại Trung tâm PVHCC cấp xã" in data/thu-tuc.json -> tỉnh;
#   names that say so ("ở một tỉnh", "nhiều tỉnh", "cấp tỉnh") and the provincial-only
#   professions below -> tỉnh; everything else -> xã.
TINH_WORDS = ("một tỉnh", "nhiều tỉnh", "cấp tỉnh", "đấu giá", "thừa hành viên", "quốc tịch",
              "cho thuê lại lao động", "trợ giúp pháp lý", "luật sư", "yếu tố nước ngoài",
              "giám định tư pháp", "doanh nghiệp tư nhân", "công ty", "chi nhánh, văn phòng đại diện",
              "bán hàng đa cấp", "tổ chức khoa học", "mẫu vật", "an toàn thực phẩm nhập khẩu",
              "tiến bộ kỹ thuật", "bến thủy", "bến khách", "tràn dầu", "lấn biển", "dự án")
TINH_FIELDS = ("XUẤT NHẬP KHẨU", "BÁO CHÍ", "ĐƯỜNG BỘ", "KHÁM CHỮA BỆNH", "PHÒNG BỆNH",
               "VĂN BẰNG, CHỨNG CHỈ", "XUẤT CẢNH, NHẬP CẢNH", "GIÁM ĐỊNH TƯ PHÁP",
               "CHĂN NUÔI VÀ THÚ Y", "VẬT LIỆU XÂY DỰNG", "KHOA HỌC VÀ CÔNG NGHỆ",
               "HÀNG HẢI VÀ ĐƯỜNG THỦY NỘI ĐỊA")
AGENCY = {
    "xã": "Ủy ban nhân dân xã Vĩnh Bảo",
    "tỉnh": "Ủy ban nhân dân thành phố Hải Phòng (tiếp nhận tại Trung tâm Phục vụ hành chính công xã Vĩnh Bảo)",
}


def fold(s):
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn").lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def vn_date(iso):
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def sentence_case(s):
    s = s.strip().lower()
    return s[:1].upper() + s[1:]


def yq(s):
    """A YAML double-quoted scalar."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def from_mirror(gitdir, rev):
    data = subprocess.run(["git", "--git-dir", gitdir, "show", f"{rev}:data/master-data-audit.csv"],
                          check=True, capture_output=True).stdout.decode("utf-8-sig")
    rows = []
    for r in csv.DictReader(io.StringIO(data)):
        dec = r["decision_numbers"]
        for full, short in REV_MACROS:
            if dec == full:
                dec = short
        st = STATUS.get(r["status"], r["status"])
        active = r["active_date"]
        if st == "FE":
            m = re.search(r"(\d{4}-\d\d-\d\d)", r.get("reason", ""))
            active = m.group(1) if m else active
        rows.append([r["ma"], r["ten"], r["linhVuc"], st, active, r["repeal_date"], dec])
    rows.sort(key=lambda x: x[0])
    with open(os.path.join(SRC, "master-data-audit.tsv"), "w", encoding="utf-8") as f:
        f.write("ma\tten\tlinhVuc\tst\tactive_date\trepeal_date\tdecision_numbers\n")
        for r in rows:
            f.write("\t".join(x.replace("\t", " ").replace("\n", " ") for x in r) + "\n")


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    head = lines[0].split("\t")
    return [dict(zip(head, l.split("\t"))) for l in lines[1:] if l.strip()]


def level_of(r):
    name = r["ten"].lower()
    if r["st"] == "CR" or r["linhVuc"] in TINH_FIELDS or any(w in name for w in TINH_WORDS):
        return "tỉnh"
    return "xã"


def main():
    args = sys.argv[1:]
    if args[:1] == ["--mirror"]:
        rev = args[args.index("--rev") + 1] if "--rev" in args else "HEAD"
        from_mirror(args[1], rev)
    rows = read_tsv(os.path.join(SRC, "master-data-audit.tsv"))
    details = {d["ma"]: d for d in read_tsv(os.path.join(SRC, "details.tsv"))}
    seen = set()
    if os.path.isdir(os.path.join(OUT, "procedures")):
        shutil.rmtree(os.path.join(OUT, "procedures"))
    os.makedirs(os.path.join(OUT, "procedures"), exist_ok=True)
    os.makedirs(os.path.join(OUT, "data"), exist_ok=True)
    n = 0
    for r in sorted(rows, key=lambda x: x["ma"]):
        code = r["ma"].strip()
        if not re.fullmatch(r"\d\.\d{6}", code) or code in seen:
            print(f"skip {code!r} (bad or duplicate code)", file=sys.stderr)
            continue
        seen.add(code)
        title = re.sub(r"\s+", " ", r["ten"]).strip().rstrip(".")
        field = sentence_case(r["linhVuc"])
        level = level_of(r)
        decisions = MACROS.get(r["decision_numbers"], r["decision_numbers"]).strip()
        d = details.get(code, {})
        fm = ["---", f"code: {yq(code)}", f"title: {yq(title)}", f"field: {yq(field)}",
              f"level: {level}", f"agency: {yq(AGENCY[level])}",
              f"processing_time: {yq(d.get('processing_time') or PLACEHOLDER)}",
              f"fee: {yq(d.get('fee') or PLACEHOLDER)}", "online: không"]
        first = decisions.split(";")[0].strip() if decisions else ""
        if first:
            fm.append(f"decision: {yq(first)}")
        if r["st"] in ("RC", "RE"):
            fm.append("status: bãi bỏ")
        if r["st"] == "FE" and r["active_date"]:
            fm.append(f"effective: {r['active_date']}")
        srcs = [f"- [BangNiemYetVinhBao, data/master-data-audit.csv]({AUDIT_URL})"]
        for sf in filter(None, (x.strip() for x in d.get("source_file", "").split(";"))):
            srcs.append(f"- [BangNiemYetVinhBao, {sf}](https://github.com/{REPO}/blob/HEAD/{sf})")
        fm += ["---", ""]
        # introduction: the facts the source gives about this procedure
        intro = [f"Thủ tục thuộc lĩnh vực {field.lower()}, trong danh mục thủ tục hành chính "
                 f"niêm yết tại Trung tâm Phục vụ hành chính công xã Vĩnh Bảo, thành phố Hải Phòng."]
        if r["st"] in ("RC", "RE"):
            intro.append(f"Thủ tục đã bị bãi bỏ" + (f" từ ngày {vn_date(r['repeal_date'])}" if r["repeal_date"] else "")
                         + (f" theo {decisions}" if decisions else "") + ".")
        elif r["st"] == "FE":
            intro.append(f"Quyết định công bố {decisions} có hiệu lực từ ngày {vn_date(r['active_date'])}.")
        elif r["active_date"]:
            intro.append(f"Áp dụng từ ngày {vn_date(r['active_date'])}" + (f" theo {decisions}" if decisions else "") + ".")
        body_path = os.path.join(SRC, "bodies", code + ".md")
        real = open(body_path, encoding="utf-8").read().strip() if os.path.exists(body_path) else ""
        have = {m.lower() for m in re.findall(r"^## (.+)$", real, re.M)}
        sections = [real] if real else []
        for name in ("Trình tự thực hiện", "Thành phần hồ sơ"):
            if name.lower() not in have:
                sections.append(f"## {name}\n\n{PLACEHOLDER}")
        legal = f"## Căn cứ pháp lý\n\n" + ("\n".join(f"- Quyết định số {x.strip()}" for x in decisions.split(";"))
                                           if decisions else PLACEHOLDER)
        sections.append(legal)
        sections.append("## Nguồn dữ liệu\n\n" + "\n".join(srcs))
        text = "\n".join(fm) + " ".join(intro) + "\n\n" + "\n\n".join(sections) + "\n"
        folder = os.path.join(OUT, "procedures", fold(field))
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, code + ".md"), "w", encoding="utf-8") as f:
            f.write(unicodedata.normalize("NFC", text))
        n += 1
    shutil.copyfile(os.path.join(HERE, "tu-dong-nghia.yaml"), os.path.join(OUT, "data", "tu-dong-nghia.yaml"))
    print(f"{n} procedures written to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()

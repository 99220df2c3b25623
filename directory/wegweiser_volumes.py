"""A large Wegweiser (the whole state: 20,000 groups, some 6,000 pages) set in volumes and
joined into one tagged PDF.

Why: Typst keeps the whole laid-out document in memory until it writes the PDF, about
0.4 MB for each group, so the state-wide print in one go needs 5 GB. Set in volumes of a
few hundred groups, each in a process of its own that ends and returns its memory, and
joined by qpdf (``pikepdf``), no process needs more than a few hundred MB.

The joined file stays one accessible document: the volumes' structure trees become one
(one ``Document`` element with every volume's elements below it, the pages'
``/StructParents`` renumbered into one parent tree, the role maps merged), the bookmarks
are chained, and the contents at the front carry the page numbers the volumes reported.
Each contents entry is a link (a ``Link`` element with its annotation's ``OBJR``, as Typst
tags it), set to a placeholder address in the front and pointed at its heading's page
when joined. The footers ("Seite N von M") are set once the total is known (``footers``:
pages with nothing but the footer) and laid over the volumes' pages as artifacts before
they are joined. The first volume (cover and contents) gives the catalogue its language,
title, ``MarkInfo`` and the PDF/UA identification in the XMP metadata.

This file runs as a script in the child processes (``compile``, ``footers``, ``merge``)
and imports no Django, so a child starts in a fraction of a second.
"""

import json
import re
import sys


def compile_volume(template_path, data_path, out_path):
    """Set one volume; report its page count and its top-level bookmarks (title and page
    index within the volume), which are the contents' entries."""
    import pikepdf
    import typst

    with open(template_path, "rb") as handle:
        template = handle.read()
    with open(data_path, encoding="utf-8") as handle:
        data = handle.read()
    pdf_bytes = typst.compile(template, sys_inputs={"data": data}, pdf_standards=["ua-1"])
    with open(out_path, "wb") as handle:
        handle.write(pdf_bytes)
    del pdf_bytes
    with pikepdf.open(out_path) as pdf:
        index = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        headings = []
        outlines = pdf.Root.get("/Outlines")
        item = outlines.get("/First") if outlines is not None else None
        while item is not None:
            headings.append([str(item.Title), index[item.Dest[0].objgen]])
            item = item.get("/Next")
        return {"pages": len(pdf.pages), "headings": headings}


def _number_tree_pairs(node):
    """The (key, value) pairs of a number tree, in order, whether flat or with /Kids."""
    if "/Nums" in node:
        nums = node.Nums
        for i in range(0, len(nums), 2):
            yield int(nums[i]), nums[i + 1]
    for kid in node.get("/Kids", ()):
        yield from _number_tree_pairs(kid)


def _number_tree(pdf, pairs, leaf_size=128):
    """A balanced two-level number tree (a flat one with 10,000 entries is slow to read)."""
    from pikepdf import Array, Dictionary

    leaves = Array()
    for start in range(0, len(pairs), leaf_size):
        chunk = pairs[start : start + leaf_size]
        nums = Array()
        for key, value in chunk:
            nums.append(key)
            nums.append(value)
        leaves.append(
            pdf.make_indirect(Dictionary(Limits=Array([chunk[0][0], chunk[-1][0]]), Nums=nums))
        )
    return pdf.make_indirect(Dictionary(Kids=leaves))


def merge(out_path, spec_path):
    """Join the volumes (the first one is the front: cover and contents) into one tagged
    PDF at ``out_path`` and point the contents' links at the headings. ``spec_path`` is a
    JSON file: ``volumes`` (paths) and ``links`` (each contents entry's description, in
    order)."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    with open(spec_path, encoding="utf-8") as handle:
        spec = json.load(handle)
    paths = spec["volumes"]
    pdf = pikepdf.open(paths[0], access_mode=pikepdf.AccessMode.stream)
    root = pdf.Root.StructTreeRoot
    (document,) = list(root.K) if isinstance(root.K, pikepdf.Array) else [root.K]
    assert Name.Document == document.S, document.S
    if not isinstance(document.K, pikepdf.Array):
        document.K = Array([document.K])
    pairs = list(_number_tree_pairs(root.ParentTree))
    next_key = int(root.ParentTreeNextKey)
    if "/RoleMap" not in root:
        root.RoleMap = Dictionary()
    if "/Outlines" not in pdf.Root:
        pdf.Root.Outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, Count=0))
    outlines = pdf.Root.Outlines

    for path in paths[1:]:
        src = pikepdf.open(path, access_mode=pikepdf.AccessMode.stream)
        sroot = src.Root.StructTreeRoot
        (sdoc,) = list(sroot.K) if isinstance(sroot.K, pikepdf.Array) else [sroot.K]
        offset = next_key
        # Renumber before copying: the pages' and annotations' keys into the parent tree.
        for page in src.pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annot in page.obj.get("/Annots", ()):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + offset
        src_pairs = list(_number_tree_pairs(sroot.ParentTree))
        # Cut the volume's Document element from its own tree root, so that copying it
        # does not bring the old root (and its parent tree) along.
        del sdoc["/P"]
        carrier = src.make_indirect(
            Array([sdoc, Array([value for _key, value in src_pairs]), src.Root.get("/Outlines")])
        )
        # Pages first, then the structure: qpdf maps each foreign object once per source,
        # so the structure's /Pg and the annotations' pages are the copied pages.
        pdf.pages.extend(src.pages)
        copied = pdf.copy_foreign(carrier)
        csdoc, values, coutlines = copied[0], copied[1], copied[2]
        kids = csdoc.K if isinstance(csdoc.K, pikepdf.Array) else [csdoc.K]
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary):
                kid.P = document
            document.K.append(kid)
        for (key, _value), value in zip(src_pairs, values, strict=True):
            pairs.append((key + offset, value))
        next_key += int(sroot.ParentTreeNextKey)
        for role, standard in sroot.get("/RoleMap", Dictionary()).items():
            root.RoleMap[role] = standard
        if coutlines is not None and "/First" in coutlines:
            item = coutlines.First
            while item is not None:
                item.Parent = outlines
                item = item.get("/Next")
            if "/Last" in outlines:
                outlines.Last.Next = coutlines.First
                coutlines.First.Prev = outlines.Last
            else:
                outlines.First = coutlines.First
            outlines.Last = coutlines.Last
            outlines.Count = int(outlines.get("/Count", 0)) + int(coutlines.get("/Count", 0))
        src.close()

    _link_contents(pdf, spec["links"])
    root.ParentTree = _number_tree(pdf, sorted(pairs, key=lambda pair: pair[0]))
    root.ParentTreeNextKey = next_key
    metadata = pdf.Root.Metadata.read_bytes()
    metadata = re.sub(
        rb"<xmpTPg:NPages>\d+</xmpTPg:NPages>",
        b"<xmpTPg:NPages>%d</xmpTPg:NPages>" % len(pdf.pages),
        metadata,
    )
    pdf.Root.Metadata.write(metadata)
    pdf.save(
        out_path,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        compress_streams=True,
    )
    pages = len(pdf.pages)
    pdf.close()
    return {"pages": pages}


def _link_contents(pdf, descriptions):
    """The contents' entries were set as links to "wegweiser:entry/<i>" (the front knows
    no other volume's pages): each becomes a link to the i-th bookmark's place (the
    bookmarks and the entries are the same headings in the same order). The annotation
    keeps its place in the structure tree (a ``Link`` element with its ``OBJR``); its
    description says where it leads."""
    from pikepdf import Array, Name, String

    targets, item = [], pdf.Root.Outlines.get("/First")
    while item is not None:
        targets.append(item.Dest)
        item = item.get("/Next")
    if len(targets) != len(descriptions):
        raise ValueError(f"{len(descriptions)} contents entries, {len(targets)} bookmarks")
    found = 0
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", ()):
            action = annot.get("/A")
            if action is None or action.get("/S") != Name.URI:
                continue
            match = re.fullmatch(r"wegweiser:entry/(\d+)", str(action.URI))
            if not match:
                continue
            index = int(match.group(1))
            del annot["/A"]
            annot.Dest = Array(list(targets[index]))
            annot.Contents = String(descriptions[index])
            found += 1
    if found < len(targets):  # an entry broken over two lines has two annotations
        raise ValueError(f"{found} contents links for {len(targets)} entries")


def stamp_footers(template_path, data_path):
    """Set the footers of a run of volumes (pages with nothing but the footer, "Seite N von
    M", from page ``first``; the cover has none) and lay each over its page, as a form
    XObject marked as an artifact. ``stamps``: ``[volume path, its first page's number]``;
    each volume is rewritten in place. Done here, volume by volume, rather than in the
    join, whose process holds every volume's objects at once already."""
    import io
    import os

    import pikepdf
    import typst
    from pikepdf import Name

    with open(template_path, "rb") as handle:
        template = handle.read()
    with open(data_path, encoding="utf-8") as handle:
        data = handle.read()
    spec = json.loads(data)
    footers = pikepdf.open(io.BytesIO(typst.compile(template, sys_inputs={"data": data})))
    if len(footers.pages) != spec["count"]:
        raise ValueError(f"{len(footers.pages)} footers set, not {spec['count']}")
    stamped = 0
    for path, first_number in spec["stamps"]:
        with pikepdf.open(path) as pdf:
            for index, page in enumerate(pdf.pages):
                number = first_number + index
                if number == 1:
                    continue  # the cover
                footer = footers.pages[number - spec["first"]]
                form = pdf.copy_foreign(footer.as_form_xobject())
                name = page.add_resource(form, Name.XObject, prefix="Foot")
                page.contents_add(
                    pdf.make_stream(b"/Artifact BMC q %s Do Q EMC" % bytes(str(name), "ascii")),
                    prepend=False,
                )
                stamped += 1
            pdf.save(path + ".stamped")
        os.replace(path + ".stamped", path)
    footers.close()
    return {"pages": stamped}


def peak_kb():
    """This process's own peak resident memory (``VmHWM``). Not ``ru_maxrss``: Linux
    carries that over from the parent through fork and exec, so a child of a 150 MB
    builder would report at least 150 MB whatever it used itself."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main(argv):
    command, *args = argv
    if command == "compile":
        result = compile_volume(*args)
    elif command == "footers":
        result = stamp_footers(*args)
    elif command == "merge":
        result = merge(*args)
    else:
        raise SystemExit(f"unknown command {command!r}")
    result["peak_mb"] = round(peak_kb() / 1024)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])

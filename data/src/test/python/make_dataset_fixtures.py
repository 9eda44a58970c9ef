#!/usr/bin/python3
"""Writes the miniature PASCAL VOC and COCO 2014 trees under data/src/test/resources/datasets/.

The Java loaders (io.ccdstream.data.datasets) are tested on these trees; they mirror the
real layouts file for file, only with a handful of images:

  VOCdevkit/VOC2012/  train (3 images), val (2), trainval (5): Annotations/*.xml,
                      ImageSets/Main/{split}.txt and all 20 {class}_{split}.txt, JPEGImages/*.jpg
  VOCdevkit/VOC2007/  trainval (2 images) and test (1) only, so that a dataset that lacks some
                      splits is covered too
  coco2014/           annotations/instances_{train,val}2014.json, {train,val}2014/*.jpg

The {class}_{split}.txt files are derived from the objects exactly as the VOC devkit does:
1 if the image has a non-difficult object of the class, 0 if all its objects of the class are
difficult, -1 if it has none; lines are "id -1", "id  0" or "id  1" like the devkit's.

Every image is the same 48x32 JPEG (made once with Java ImageIO, embedded below), so all
annotation sizes are 48x32. Standard library only:
    python3 data/src/test/python/make_dataset_fixtures.py [output-dir]
"""

import base64
import json
import os
import sys

DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "datasets")

JPEG_48x32 = base64.b64decode("".join([
    "/9j/4AAQSkZJRgABAgAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1R"
    "V19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2Nj"
    "Y2NjY2NjY2NjY2NjY2P/wAARCAAgADADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAA"
    "AgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6"
    "Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXG"
    "x8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREA"
    "AgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5"
    "OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPE"
    "xcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDpLq9t7Pb9ok2b84+UnOPp9ag/trT/APn4"
    "/wDHG/wqh4o/5df+B/0rAqKlaUZNI66GFhUpqTbO1tb23vN32eTfsxn5SMZ+v0qxWD4X/wCXr/gH9ah1bVL221KWKGbai4wN"
    "oPYH0rSNT3FJnFiIqlNxR0lFcf8A23qP/Px/44v+FbGgX1xefaPtEm/Zt2/KBjOfT6U41FJ2MFNN2IfFH/Lr/wAD/pWBXe0V"
    "E6PNK9z0KWL9nBR5TB8L/wDL1/wD+tZuvf8AIXn/AOA/+giuwqnPpdlczNLNDudup3Ee3rT9m+RRRyYiXtpOWxxddB4V/wCX"
    "r/gH/s1aH9iad/z7/wDj7f41YtbG3s9/2ePZvxu+YnOPr9aUKbi7mEYNO5//2Q=="
]))
WIDTH, HEIGHT = 48, 32

VOC_CLASSES = ["aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
               "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa",
               "train", "tvmonitor"]


def obj(name, box, difficult=0, parts=(), has_difficult=True):
    """A VOC object: box is (xmin, ymin, xmax, ymax) as written, 1-based inclusive."""
    return {"name": name, "box": box, "difficult": difficult, "parts": parts,
            "has_difficult": has_difficult}


# id -> objects. Coordinates are strings so that the files hold exactly what is written here.
VOC2012 = {
    "train": {
        # a person with part boxes (head, hand) that must not be read as objects
        "2008_000008": [obj("dog", ("5", "7", "20", "24")),
                        obj("person", ("27", "11", "44", "26"),
                            parts=(("head", ("30", "11", "35", "15")), ("hand", ("27", "20", "29", "22"))))],
        # cat only difficult: the devkit writes 0, which counts as negative
        "2008_000015": [obj("cat", ("1", "1", "48", "32"), difficult=1),
                        obj("chair", ("10", "12", "22", "30"))],
        # fractional coordinates and no <difficult> element, as in a few VOC 2012 files
        "2009_000020": [obj("bicycle", ("12.5", "3.0", "40.7", "29.2"), has_difficult=False)],
    },
    "val": {
        # one difficult and one plain dog: positive; a bottle with the devkit's occasional xmin 0
        "2010_000030": [obj("dog", ("2", "2", "10", "10"), difficult=1),
                        obj("dog", ("20", "4", "46", "30")),
                        obj("bottle", ("0", "5", "6", "31"))],
        "2011_000040": [obj("aeroplane", ("3", "3", "45", "20")),
                        obj("tvmonitor", ("30", "22", "40", "32"))],
    },
}

VOC2007 = {
    "trainval": {
        "000005": [obj("chair", ("4", "4", "20", "30")), obj("chair", ("22", "6", "30", "28"), difficult=1)],
        "000007": [obj("car", ("1", "8", "47", "30"))],
    },
    "test": {
        "000001": [obj("dog", ("6", "9", "30", "31")), obj("person", ("2", "1", "12", "32"), difficult=1)],
    },
}


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode) as f:
        f.write(data)


def bndbox(box, indent):
    xmin, ymin, xmax, ymax = box
    return (f"{indent}<bndbox>\n{indent}\t<xmin>{xmin}</xmin>\n{indent}\t<ymin>{ymin}</ymin>\n"
            f"{indent}\t<xmax>{xmax}</xmax>\n{indent}\t<ymax>{ymax}</ymax>\n{indent}</bndbox>\n")


def annotation_xml(folder, image_id, objects):
    out = [f"<annotation>\n\t<folder>{folder}</folder>\n\t<filename>{image_id}.jpg</filename>\n",
           "\t<source>\n\t\t<database>ccd-stream fixture</database>\n\t</source>\n",
           f"\t<size>\n\t\t<width>{WIDTH}</width>\n\t\t<height>{HEIGHT}</height>\n\t\t<depth>3</depth>\n\t</size>\n",
           "\t<segmented>0</segmented>\n"]
    for o in objects:
        out.append(f"\t<object>\n\t\t<name>{o['name']}</name>\n\t\t<pose>Unspecified</pose>\n\t\t<truncated>0</truncated>\n")
        if o["has_difficult"]:
            out.append(f"\t\t<difficult>{o['difficult']}</difficult>\n")
        out.append(bndbox(o["box"], "\t\t"))
        for part, box in o["parts"]:
            out.append(f"\t\t<part>\n\t\t\t<name>{part}</name>\n{bndbox(box, chr(9) * 3)}\t\t</part>\n")
        out.append("\t</object>\n")
    out.append("</annotation>\n")
    return "".join(out)


def devkit_label(objects, cls):
    mine = [o for o in objects if o["name"] == cls]
    if not mine:
        return -1
    return 1 if any(o["difficult"] == 0 for o in mine) else 0


def write_voc(out, year, splits, derived):
    base = os.path.join(out, "VOCdevkit", f"VOC{year}")
    images = {}
    for split, entries in splits.items():
        images.update(entries)
    for image_id, objects in images.items():
        write(os.path.join(base, "Annotations", f"{image_id}.xml"), annotation_xml(f"VOC{year}", image_id, objects))
        write(os.path.join(base, "JPEGImages", f"{image_id}.jpg"), JPEG_48x32)
    all_splits = dict(splits)
    for name, parts in derived.items():
        all_splits[name] = {k: v for part in parts for k, v in splits[part].items()}
    for split, entries in all_splits.items():
        main = os.path.join(base, "ImageSets", "Main")
        write(os.path.join(main, f"{split}.txt"), "".join(f"{i}\n" for i in entries))
        for cls in VOC_CLASSES:
            lines = "".join(f"{i} {devkit_label(objs, cls):2d}\n" for i, objs in entries.items())
            write(os.path.join(main, f"{cls}_{split}.txt"), lines)


def coco_image(split, image_id):
    return {"license": 1, "file_name": f"COCO_{split}2014_{image_id:012d}.jpg", "coco_url": "",
            "height": HEIGHT, "width": WIDTH, "date_captured": "2013-11-14 16:28:13", "flickr_url": "",
            "id": image_id}


def coco_annotation(ann_id, image_id, category_id, bbox, crowd=False):
    if crowd:
        segmentation = {"counts": [0, 12, 36, 12, 1476], "size": [HEIGHT, WIDTH]}
    else:
        x, y, w, h = bbox
        segmentation = [[x, y, x + w, y, x + w, y + h, x, y + h]]
    return {"segmentation": segmentation, "area": round(bbox[2] * bbox[3], 2), "iscrowd": 1 if crowd else 0,
            "image_id": image_id, "bbox": bbox, "category_id": category_id, "id": ann_id}


# listed out of id order on purpose: the loader orders classes by id (person, car, dog)
COCO_CATEGORIES = [{"supercategory": "animal", "id": 18, "name": "dog"},
                   {"supercategory": "person", "id": 1, "name": "person"},
                   {"supercategory": "vehicle", "id": 3, "name": "car"}]

COCO = {
    "train": {
        "images": [9, 25, 30, 42],  # 30 has no annotation
        "annotations": [
            coco_annotation(101, 42, 18, [40.2, 20.7, 8.3, 11.9]),      # runs past the 48x32 image
            coco_annotation(102, 9, 1, [10.4, 5.6, 20.1, 10.2]),
            coco_annotation(103, 25, 3, [0, 0, 48, 32], crowd=True),    # the image's only annotation
            coco_annotation(104, 9, 18, [1.0, 2.0, 3.0, 4.0]),
            coco_annotation(105, 9, 18, [30.5, 14.25, 10.0, 12.5]),
        ],
    },
    "val": {
        "images": [73, 74],  # 74 has no annotation
        "annotations": [coco_annotation(201, 73, 1, [2, 3, 10, 20])],
    },
}


def write_coco(out):
    base = os.path.join(out, "coco2014")
    for split, content in COCO.items():
        images = [coco_image(split, i) for i in content["images"]]
        # key order as in the real files: categories come last
        instances = {"info": {"description": "ccd-stream COCO 2014 fixture", "version": "1.0", "year": 2014},
                     "images": images,
                     "licenses": [{"url": "", "id": 1, "name": "fixture"}],
                     "annotations": content["annotations"],
                     "categories": COCO_CATEGORIES}
        write(os.path.join(base, "annotations", f"instances_{split}2014.json"), json.dumps(instances, indent=1) + "\n")
        for image in images:
            write(os.path.join(base, f"{split}2014", image["file_name"]), JPEG_48x32)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    write_voc(out, 2012, VOC2012, {"trainval": ["train", "val"]})
    write_voc(out, 2007, VOC2007, {})
    write_coco(out)


if __name__ == "__main__":
    main()

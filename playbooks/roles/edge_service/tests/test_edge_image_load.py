from edge_image_load import bare


def test_bare_drops_the_sha256_prefix_only():
    assert bare("sha256:4c1a") == "4c1a"
    assert bare("4c1a") == "4c1a"
    assert bare("sha512:4c1a") == "sha512:4c1a"

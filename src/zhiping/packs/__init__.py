"""Rule packs: the model of a pack and a chain, dated parameters, reading a pack file,
the registry that collects packs from plugins, and the hooks plugins implement.
"""

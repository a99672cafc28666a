# Test-data generator (not part of the app): writes legacy.ckpt, a small state dict saved with
# torch.save's legacy (pre-zip) format, and legacy.expected.json with every tensor's values.
# Run with Debian's torch: /usr/bin/python3 tests/weights/data/makeLegacyCkpt.py
import collections, json, os, torch

here = os.path.dirname(os.path.abspath(__file__))
g = torch.Generator().manual_seed(7)
lin = torch.nn.Linear(3, 2)
with torch.no_grad():
    lin.weight.copy_(torch.randn(2, 3, generator=g))
    lin.bias.copy_(torch.randn(2, generator=g))
state = lin.state_dict()                                   # OrderedDict with torch's _metadata
base = torch.arange(12, dtype=torch.float32)
state['shared.a'] = base[2:8].view(2, 3)                   # a view at offset 2 of a 12-element storage
state['shared.b'] = base.view(3, 4).t()                    # the same storage, transposed (non-contiguous)
state['half'] = torch.tensor([0.5, -2.0, 65504.0], dtype=torch.float16)
state['pe'] = torch.randn(1, 4, 2, generator=g)
state['step'] = torch.tensor(5, dtype=torch.int64)         # a 0-d integer buffer
obj = {'state_dict': state, 'global_step': 3}
torch.save(obj, os.path.join(here, 'legacy.ckpt'), _use_new_zipfile_serialization=False)
expected = {k: {'shape': list(v.shape), 'values': v.float().flatten().tolist()} for k, v in state.items()}
with open(os.path.join(here, 'legacy.expected.json'), 'w') as f:
    json.dump(expected, f, indent=1)
back = torch.load(os.path.join(here, 'legacy.ckpt'))
assert all(torch.equal(back['state_dict'][k], v) for k, v in state.items())

"""Recipes: one convolution window, a convolution layer forward and backward, output sizes,
max pooling, and a small CNN's shapes and parameter counts."""

from . import code, md

CONV_WINDOW = (
    md("""
## 1. Input, kernel and bias
Small numbers from the seed: input `(1, C, H, W)`, one filter `(1, C, K, K)`, its bias.
"""),
    code("""
from cnncore.scenarios._common import small_values

size, channels, k = params["input_size"], params["in_channels"], params["kernel_size"]
stride, padding, row, col = params["stride"], params["padding"], params["row"], params["col"]
integer = params["integer_values"]
x = small_values(rng, (1, channels, size, size), integer=integer, low=0, high=5)
w = small_values(rng, (1, channels, k, k), integer=integer, low=-2, high=2)
b = small_values(rng, (1,), integer=integer, low=-3, high=3)
np.pad(x[0], ((0, 0), (padding, padding), (padding, padding)))  # the zero-padded input
"""),
    md("""
## 2. One output element
The window under the kernel at output `(row, col)`, multiplied element by element, summed, plus the
bias.
"""),
    code("""
from cnncore.functional import conv2d_window

element = conv2d_window(x, w, b, 0, 0, row, col, stride=stride, padding=padding)
sum_of_products = float(element.products.sum())
top, left = row * stride, col * stride
element.window, element.products, element.value
"""),
    md("""
## 3. Every window position
The whole layer: one output per position; element `(row, col)` is the value above.
"""),
    code("""
from cnncore.nn import Conv2D

layer = Conv2D.from_arrays(w, b, stride, padding, name="conv1")
out = layer.forward(x)  # (1, 1, Ho, Wo)
out_size = out.shape[-1]
out[0, 0]
"""),
    md("## 4. Results"),
    code("""
results = {
    "value": element.value,
    "sum_of_products": sum_of_products,
    "bias": float(b[0]),
    "window": element.window,
    "kernel": w[0],
    "products": element.products,
    "window_top": top,
    "window_left": left,
    "out_h": out_size,
    "out_w": out_size,
    "output": out[0, 0],
}
"""),
)

CONV_FORWARD = (
    md("""
## 1. The layer
Input `(1, C, H, W)`, filters `(F, C, K, K)`, biases `(F,)`: each filter spans all input channels.
"""),
    code("""
from cnncore.nn import Conv2D
from cnncore.scenarios._common import small_values

c, f, size, k = params["in_channels"], params["out_channels"], params["input_size"], params["kernel_size"]
stride, padding, integer = params["stride"], params["padding"], params["integer_values"]
x = small_values(rng, (1, c, size, size), integer=integer, low=0, high=4)
w = small_values(rng, (f, c, k, k), integer=integer, low=-2, high=2)
b = small_values(rng, (f,), integer=integer, low=-2, high=2)
layer = Conv2D.from_arrays(w, b, stride, padding, name="conv1")
"""),
    md("## 2. Forward pass\nOne output map per filter."),
    code("""
out = layer.forward(x)  # (1, F, Ho, Wo)
out[0]
"""),
    md("## 3. The top-left output of filter 0, by hand"),
    code("""
from cnncore.functional import conv2d_window

corner = conv2d_window(x, w, b, 0, 0, 0, 0, stride=stride, padding=padding)
corner.value, out[0, 0, 0, 0]
"""),
    md("## 4. Results"),
    code("""
out_size = out.shape[-1]
results = {
    "output": out[0],
    "out_channels": f,
    "out_h": out_size,
    "out_w": out_size,
    "corner_value": corner.value,
    "multiplications": int(out[0].size * c * k * k),
    "weight_count": int(w.size + b.size),
}
"""),
)

CONV_BACKWARD = (
    md("""
## 1. Forward pass
A convolution layer on a small input, then an upstream gradient `dout` of the output's shape.
"""),
    code("""
from cnncore.nn import Conv2D
from cnncore.scenarios._common import small_values

c, f, size, k = params["in_channels"], params["out_channels"], params["input_size"], params["kernel_size"]
stride, padding, integer = params["stride"], params["padding"], params["integer_values"]
x = small_values(rng, (1, c, size, size), integer=integer, low=-2, high=3)
w = small_values(rng, (f, c, k, k), integer=integer, low=-2, high=2)
b = small_values(rng, (f,), integer=integer, low=-1, high=1)
layer = Conv2D.from_arrays(w, b, stride, padding, name="conv1")
out = layer.forward(x)
dout = small_values(rng, out.shape, integer=integer, low=-2, high=2)
dout[0]
"""),
    md("## 2. Backward pass\n`conv2d_backward` gives `dL/dX`, `dL/dW` and `dL/db`."),
    code("""
dx = layer.backward(dout)
dw, db = layer.weight.grad, layer.bias.grad
dw, db
"""),
    md("""
## 3. The same gradients as correlations
`dL/dW`: each input channel correlated with (dilated) `dout`. `dL/dX`: `dout`, dilated and
padded by K - 1, correlated with the kernel rotated by 180°. `dL/db`: the sum of `dout`.
"""),
    code("""
from cnncore.functional import conv2d_forward


def dilate(maps, stride):
    ho, wo = maps.shape[-2:]
    dilated = np.zeros((*maps.shape[:-2], (ho - 1) * stride + 1, (wo - 1) * stride + 1))
    dilated[..., ::stride, ::stride] = maps
    return dilated


x_padded = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
corr, _ = conv2d_forward(x_padded.transpose(1, 0, 2, 3), dilate(dout, stride).transpose(1, 0, 2, 3),
                         np.zeros(dout.shape[1]))
dw_corr = corr.transpose(1, 0, 2, 3)[:, :, :k, :k]

full, _ = conv2d_forward(dilate(dout, stride), w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3), np.zeros(c),
                         padding=k - 1)
padded = np.zeros((1, c, size + 2 * padding, size + 2 * padding))
padded[:, :, : full.shape[2], : full.shape[3]] = full
dx_full = padded[:, :, padding : padding + size, padding : padding + size]
db_sum = dout.sum(axis=(0, 2, 3))
dw_corr, dx_full[0], db_sum
"""),
    md("## 4. Results"),
    code("""
def matches(a, b_):
    return bool(np.max(np.abs(a - b_)) <= 1e-12 * max(1.0, np.max(np.abs(b_))))


row = min(1, size - 1)
results = {
    "dw": dw,
    "dx": dx[0],
    "db": db,
    "dout": dout[0],
    "dw_matches": matches(dw_corr, dw),
    "dx_matches": matches(dx_full, dx),
    "db_matches": matches(db_sum, db),
    "dw_element": float(dw[0, 0, 0, 0]),
    "dx_element": float(dx[0, 0, row, row]),
    "db_element": float(db[0]),
}
"""),
)

CONV_OUTPUT_SIZE = (
    md("## 1. The formula\n`H_o = floor((H + 2P - K) / S) + 1` along each axis (0 when the kernel does not fit)."),
    code("""
height, width = params["input_height"], params["input_width"]
kernel, stride, padding = params["kernel_size"], params["stride"], params["padding"]


def output_size(size):
    padded = size + 2 * padding
    return 0 if kernel > padded else (padded - kernel) // stride + 1


out_h, out_w = output_size(height), output_size(width)
fits = out_h > 0 and out_w > 0
unused = [(size + 2 * padding - kernel) % stride if kernel <= size + 2 * padding else 0
          for size in (height, width)]
out_h, out_w, unused
"""),
    md("## 2. Checked with a real convolution"),
    code("""
from cnncore.functional import conv2d_forward

if fits:
    out, _ = conv2d_forward(np.zeros((1, 1, height, width)), np.zeros((1, 1, kernel, kernel)), np.zeros(1),
                            stride=stride, padding=padding)
    print(out.shape)
else:
    print("no window fits in the padded input")
"""),
    md("## 3. Results"),
    code("""
results = {
    "out_h": out_h,
    "out_w": out_w,
    "fits": fits,
    "exact": fits and unused == [0, 0],
    "padded_height": height + 2 * padding,
    "padded_width": width + 2 * padding,
    "unused_rows": unused[0],
    "unused_cols": unused[1],
    "output_elements": out_h * out_w,
}
"""),
)

MAXPOOL_ROUTING = (
    md("## 1. Forward pass\nWhole numbers from the seed (ties are possible); each window keeps its maximum."),
    code("""
from cnncore.nn import MaxPool2D

size, k, stride = params["input_size"], params["kernel_size"], params["stride"]
x = rng.integers(0, params["max_value"], size=(1, 1, size, size), endpoint=True).astype(float)
layer = MaxPool2D(k, stride, name="pool1")
out = layer.forward(x)
x[0, 0], out[0, 0]
"""),
    md("## 2. Backward pass\nThe upstream gradient goes only to each window's (first) maximum."),
    code("""
dout = rng.integers(1, 9, size=out.shape, endpoint=True).astype(float)
dx = layer.backward(dout)
dx[0, 0]
"""),
    md("## 3. The first window"),
    code("""
from cnncore.functional import max_pool2d_forward

_, cache = max_pool2d_forward(x, k, stride)
first = int(cache.argmax[0, 0, 0, 0])
position = (first // k, first % k)
window = x[0, 0, :k, :k]
ties = int(np.sum(window == window.max()))
window, position
"""),
    md("## 4. Results"),
    code("""
results = {
    "output": out[0, 0],
    "dx": dx[0, 0],
    "dout": dout[0, 0],
    "window": window,
    "max_value": float(window.max()),
    "max_position": position,
    "routed_gradient": float(dx[0, 0, position[0], position[1]]),
    "tie_in_first_window": ties > 1,
    "nonzero_gradients": int(np.count_nonzero(dx)),
}
"""),
)

PARAMETER_COUNT = (
    md("""
## 1. The network
conv -> ReLU (-> pool) [-> conv -> ReLU (-> pool)] -> flatten -> linear; only shapes matter.
"""),
    code("""
from cnncore.nn import Conv2D, Flatten, Linear, MaxPool2D, ReLU, Sequential

conv_args = {"kernel_size": params["kernel_size"], "stride": params["stride"], "padding": params["padding"],
             "init": "constant"}
layers = [Conv2D(params["in_channels"], params["conv1_filters"], **conv_args), ReLU()]
if params["pool"]:
    layers.append(MaxPool2D(2))
if params["conv2_filters"]:
    layers += [Conv2D(params["conv1_filters"], params["conv2_filters"], **conv_args), ReLU()]
    if params["pool"]:
        layers.append(MaxPool2D(2))
shape = (1, params["in_channels"], params["input_size"], params["input_size"])
for layer in layers:
    shape = layer.output_shape(shape)
features = int(np.prod(shape[1:]))
model = Sequential(*layers, Flatten(), Linear(features, params["classes"], init="constant"))
[layer.name for layer in model.layers]
"""),
    md("""
## 2. Shapes, parameters and receptive fields, layer by layer
A conv layer has `F * (C * K * K + 1)` parameters; the receptive field grows by `(K - 1) * jump`.
"""),
    code("""
shape = (1, params["in_channels"], params["input_size"], params["input_size"])
field, jump, total = 1, 1, 0
rows, spatial_fields = [], []
for layer in model.layers:
    if hasattr(layer, "kernel_size"):
        field += (layer.kernel_size[0] - 1) * jump
        jump *= layer.stride[0]
    shape = layer.output_shape(shape)
    count = sum(param.size for param in layer.parameters())
    total += count
    rows.append((layer.name, shape[1:], count))
    if not isinstance(layer, Flatten | Linear):
        spatial_fields.append(field)
rows
"""),
    md("## 3. Results"),
    code("""
results = {}
for name, layer_shape, count in rows:
    results[f"{name}_parameters"] = count
    results[f"{name}_output_shape"] = layer_shape
biggest = max(model.layers, key=lambda layer: sum(q.size for q in layer.parameters()))
results["total_parameters"] = total
results["flatten_features"] = features
results["receptive_field"] = spatial_fields[-1]
results["largest_layer"] = biggest.name
"""),
)

RECIPES = {
    "conv-window": CONV_WINDOW,
    "conv-forward": CONV_FORWARD,
    "conv-backward": CONV_BACKWARD,
    "conv-output-size": CONV_OUTPUT_SIZE,
    "maxpool-routing": MAXPOOL_ROUTING,
    "parameter-count": PARAMETER_COUNT,
}

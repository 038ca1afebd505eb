"""The module API: layers with ``forward``, ``backward``, ``parameters`` and ``zero_grad``."""

from cnncore.nn.activations import ReLU, Sigmoid, Tanh
from cnncore.nn.container import Flatten, Sequential
from cnncore.nn.init import INIT_SCHEMES, initial_weights
from cnncore.nn.layers import Conv2D, Linear
from cnncore.nn.module import Module
from cnncore.nn.parameter import Parameter
from cnncore.nn.pooling import AvgPool2D, MaxPool2D

__all__ = [
    "INIT_SCHEMES",
    "AvgPool2D",
    "Conv2D",
    "Flatten",
    "Linear",
    "MaxPool2D",
    "Module",
    "Parameter",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Tanh",
    "initial_weights",
]

"""Recurrent layers: RNN with its cells, SimpleRNN, LSTM, GRU, Bidirectional, ConvLSTM."""

from kerastorch.keras.layers.recurrent.bidirectional import Bidirectional
from kerastorch.keras.layers.recurrent.conv_lstm import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D, ConvLSTMCell
from kerastorch.keras.layers.recurrent.dropout_cell import DropoutRNNCell
from kerastorch.keras.layers.recurrent.gru import GRU, GRUCell
from kerastorch.keras.layers.recurrent.lstm import LSTM, LSTMCell
from kerastorch.keras.layers.recurrent.rnn import RNN
from kerastorch.keras.layers.recurrent.simple_rnn import SimpleRNN, SimpleRNNCell
from kerastorch.keras.layers.recurrent.stacked_cells import StackedRNNCells

__all__ = ["GRU", "LSTM", "RNN", "Bidirectional", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "ConvLSTMCell",
           "DropoutRNNCell", "GRUCell", "LSTMCell", "SimpleRNN", "SimpleRNNCell", "StackedRNNCells"]

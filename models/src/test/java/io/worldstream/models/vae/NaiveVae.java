package io.worldstream.models.vae;

import io.worldstream.models.Tensor;
import java.util.Map;

/** The VAE's forward pass written out loop by loop in double: the independent reference. */
final class NaiveVae {

  private NaiveVae() {}

  /** Returns {mu, logvar} for one frame [3, 64, 64]. */
  static double[][] encode(Map<String, Tensor> w, float[] frame) {
    double[] x = new double[frame.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = frame[i];
    }
    int c = 3;
    int size = 64;
    for (int l = 1; l <= 4; l++) {
      Tensor weight = w.get("encoder.conv" + l + ".weight");
      Tensor bias = w.get("encoder.conv" + l + ".bias");
      int out = (int) weight.shape()[0];
      int outSize = (size - 4) / 2 + 1;
      double[] y = new double[out * outSize * outSize];
      for (int o = 0; o < out; o++) {
        for (int oy = 0; oy < outSize; oy++) {
          for (int ox = 0; ox < outSize; ox++) {
            double sum = bias.data()[o];
            for (int ci = 0; ci < c; ci++) {
              for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                  sum +=
                      x[(ci * size + oy * 2 + i) * size + ox * 2 + j]
                          * weight.data()[((o * c + ci) * 4 + i) * 4 + j];
                }
              }
            }
            y[(o * outSize + oy) * outSize + ox] = Math.max(0, sum);
          }
        }
      }
      x = y;
      c = out;
      size = outSize;
    }
    return new double[][] {dense(w, "encoder.mu", x), dense(w, "encoder.logvar", x)};
  }

  /** One latent [32] → frame [3, 64, 64]. */
  static double[] decode(Map<String, Tensor> w, float[] z) {
    double[] zd = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      zd[i] = z[i];
    }
    double[] x = dense(w, "decoder.fc", zd);
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.max(0, x[i]);
    }
    int c = 1024;
    int size = 1;
    for (int l = 1; l <= 4; l++) {
      Tensor weight = w.get("decoder.deconv" + l + ".weight");
      Tensor bias = w.get("decoder.deconv" + l + ".bias");
      int out = (int) weight.shape()[1];
      int k = (int) weight.shape()[2];
      int outSize = (size - 1) * 2 + k;
      double[] y = new double[out * outSize * outSize];
      for (int o = 0; o < out; o++) {
        for (int p = 0; p < outSize * outSize; p++) {
          y[o * outSize * outSize + p] = bias.data()[o];
        }
      }
      for (int ci = 0; ci < c; ci++) {
        for (int iy = 0; iy < size; iy++) {
          for (int ix = 0; ix < size; ix++) {
            double v = x[(ci * size + iy) * size + ix];
            if (v == 0) {
              continue;
            }
            for (int o = 0; o < out; o++) {
              for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                  y[(o * outSize + iy * 2 + i) * outSize + ix * 2 + j] +=
                      v * weight.data()[((ci * out + o) * k + i) * k + j];
                }
              }
            }
          }
        }
      }
      for (int i = 0; i < y.length; i++) {
        y[i] = l < 4 ? Math.max(0, y[i]) : 1 / (1 + Math.exp(-y[i]));
      }
      x = y;
      c = out;
      size = outSize;
    }
    return x;
  }

  private static double[] dense(Map<String, Tensor> w, String layer, double[] x) {
    Tensor weight = w.get(layer + ".weight");
    Tensor bias = w.get(layer + ".bias");
    int out = (int) weight.shape()[0];
    int in = (int) weight.shape()[1];
    double[] y = new double[out];
    for (int o = 0; o < out; o++) {
      double sum = bias.data()[o];
      for (int i = 0; i < in; i++) {
        sum += x[i] * weight.data()[o * in + i];
      }
      y[o] = sum;
    }
    return y;
  }
}

package io.worldstream.train.learner;

import io.worldstream.models.Tensor;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.train.Adam;
import io.worldstream.train.TrainingStep;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * A lineage's last published model in Flink keyed state: the MDN-RNN's weights, their running
 * average and Adam's moments, by weight name, written with every published version and read back
 * after a restore.
 */
final class SavedWeights {

  private final MapState<String, float[]> weights;
  private final MapState<String, float[]> average;
  private final MapState<String, float[]> firstMoments;
  private final MapState<String, float[]> secondMoments;

  /** The state of the function {@code context} belongs to (for its current key). */
  SavedWeights(RuntimeContext context) {
    TypeInformation<float[]> floats = PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO;
    weights = context.getMapState(new MapStateDescriptor<>("weights", Types.STRING, floats));
    average =
        context.getMapState(new MapStateDescriptor<>("weights-average", Types.STRING, floats));
    firstMoments = context.getMapState(new MapStateDescriptor<>("adam-m", Types.STRING, floats));
    secondMoments = context.getMapState(new MapStateDescriptor<>("adam-v", Types.STRING, floats));
  }

  /** Whether no version has been saved yet. */
  boolean isEmpty() throws Exception {
    return weights.isEmpty();
  }

  void clear() {
    weights.clear();
    average.clear();
    firstMoments.clear();
    secondMoments.clear();
  }

  void save(TrainingStep.State state) throws Exception {
    for (Map.Entry<String, Tensor> w : state.weights().entrySet()) {
      weights.put(w.getKey(), w.getValue().data());
    }
    if (state.average().isEmpty()) {
      average.clear(); // an average saved by an earlier run would be stale if averaging came back
    }
    for (Map.Entry<String, Tensor> a : state.average().entrySet()) {
      average.put(a.getKey(), a.getValue().data());
    }
    for (Map.Entry<String, Tensor> m : state.optimizer().firstMoments().entrySet()) {
      firstMoments.put(m.getKey(), m.getValue().data());
    }
    for (Map.Entry<String, Tensor> v : state.optimizer().secondMoments().entrySet()) {
      secondMoments.put(v.getKey(), v.getValue().data());
    }
  }

  Map<String, Tensor> weights() throws Exception {
    return tensors(weights);
  }

  /** The running average of the weights as saved; empty if none was. */
  Map<String, Tensor> average() throws Exception {
    return tensors(average);
  }

  /** Adam's state as saved, at {@code steps} steps. */
  Adam.State optimizer(long steps) throws Exception {
    return new Adam.State(steps, tensors(firstMoments), tensors(secondMoments));
  }

  private static Map<String, Tensor> tensors(MapState<String, float[]> arrays) throws Exception {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> shape : MdnSpec.weightShapes().entrySet()) {
      float[] data = arrays.get(shape.getKey());
      if (data != null) {
        out.put(shape.getKey(), new Tensor(shape.getKey(), shape.getValue(), data));
      }
    }
    return out;
  }
}

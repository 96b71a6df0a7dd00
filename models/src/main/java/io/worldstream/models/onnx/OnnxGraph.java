package io.worldstream.models.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import io.worldstream.models.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small writer of ONNX graphs (opset 17) on the protobuf classes of tribuo-util-onnx: inputs,
 * float initializers, operator nodes and named outputs, serialised as a ModelProto. Dimensions
 * given as {@link #BATCH} are symbolic, so one graph serves every batch size.
 */
public final class OnnxGraph {

  public static final int OPSET = 17;

  /** IR version 8 goes with opset 17. */
  private static final long IR_VERSION = 8;

  /** A symbolic dimension named "batch". */
  public static final long BATCH = -1;

  /** A tensor in the graph. */
  public record Value(String name) {}

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private int counter;

  public OnnxGraph(String name) {
    graph.setName(name);
  }

  /** A float input of this shape. */
  public Value input(String name, long... shape) {
    graph.addInput(valueInfo(name, shape));
    return new Value(name);
  }

  /** A float constant (weights), stored as raw little-endian bytes. */
  public Value initializer(String name, float[] data, long... shape) {
    return initializer(new Tensor(name, shape, data));
  }

  /** A float constant from a named tensor. */
  public Value initializer(Tensor tensor) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * tensor.size()).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(tensor.data());
    graph.addInitializer(
        TensorProto.newBuilder()
            .setName(tensor.name())
            .setDataType(TensorProto.DataType.FLOAT.getNumber())
            .addAllDims(Arrays.stream(tensor.shape()).boxed().toList())
            .setRawData(ByteString.copyFrom(bytes.array())));
    return new Value(tensor.name());
  }

  /** An int64 constant, e.g. a shape for Reshape or axes for Squeeze. */
  public Value ints(String name, long... values) {
    graph.addInitializer(
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.INT64.getNumber())
            .addDims(values.length)
            .addAllInt64Data(Arrays.stream(values).boxed().toList()));
    return new Value(name);
  }

  /**
   * A node with one output. Attribute values: Integer/Long, Float, int[]/long[], float[], String.
   */
  public Value op(String opType, List<Value> inputs, Map<String, Object> attributes) {
    return op(opType, inputs, attributes, 1).get(0);
  }

  public Value op(String opType, Value... inputs) {
    return op(opType, List.of(inputs), Map.of());
  }

  /** A node with several outputs; an empty input name stands for an omitted optional input. */
  public List<Value> op(
      String opType, List<Value> inputs, Map<String, Object> attributes, int outputs) {
    String base = opType.toLowerCase() + "_" + counter++;
    NodeProto.Builder node = NodeProto.newBuilder().setOpType(opType).setName(base);
    inputs.forEach(v -> node.addInput(v == null ? "" : v.name()));
    Value[] out = new Value[outputs];
    for (int i = 0; i < outputs; i++) {
      out[i] = new Value(base + "_out" + i);
      node.addOutput(out[i].name());
    }
    new LinkedHashMap<>(attributes)
        .forEach((key, value) -> node.addAttribute(attribute(key, value)));
    graph.addNode(node);
    return List.of(out);
  }

  /** Names {@code value} as a graph output of this shape. */
  public void output(Value value, String name, long... shape) {
    graph.addNode(
        NodeProto.newBuilder()
            .setOpType("Identity")
            .setName("output_" + name)
            .addInput(value.name())
            .addOutput(name));
    graph.addOutput(valueInfo(name, shape));
  }

  /** The model as ONNX bytes. */
  public byte[] toBytes(String producer, String docString) {
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName(producer)
        .setDocString(docString)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(graph)
        .build()
        .toByteArray();
  }

  private static ValueInfoProto valueInfo(String name, long... shape) {
    TensorShapeProto.Builder dims = TensorShapeProto.newBuilder();
    for (long d : shape) {
      dims.addDim(
          d == BATCH
              ? TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
              : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    TypeProto type =
        TypeProto.newBuilder()
            .setTensorType(
                TypeProto.Tensor.newBuilder()
                    .setElemType(TensorProto.DataType.FLOAT.getNumber())
                    .setShape(dims))
            .build();
    return ValueInfoProto.newBuilder().setName(name).setType(type).build();
  }

  private static AttributeProto attribute(String name, Object value) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
    if (value instanceof Integer || value instanceof Long) {
      return a.setType(AttributeProto.AttributeType.INT).setI(((Number) value).longValue()).build();
    } else if (value instanceof Float || value instanceof Double) {
      return a.setType(AttributeProto.AttributeType.FLOAT)
          .setF(((Number) value).floatValue())
          .build();
    } else if (value instanceof int[] ints) {
      a.setType(AttributeProto.AttributeType.INTS);
      Arrays.stream(ints).forEach(i -> a.addInts(i));
      return a.build();
    } else if (value instanceof long[] longs) {
      a.setType(AttributeProto.AttributeType.INTS);
      Arrays.stream(longs).forEach(a::addInts);
      return a.build();
    } else if (value instanceof float[] floats) {
      a.setType(AttributeProto.AttributeType.FLOATS);
      for (float f : floats) {
        a.addFloats(f);
      }
      return a.build();
    } else if (value instanceof String s) {
      return a.setType(AttributeProto.AttributeType.STRING)
          .setS(ByteString.copyFromUtf8(s))
          .build();
    }
    throw new IllegalArgumentException(
        "Unsupported attribute " + name + " of type " + value.getClass());
  }
}

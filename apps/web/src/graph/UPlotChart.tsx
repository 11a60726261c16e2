import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export type AlignedData = uPlot.AlignedData;

interface Props {
  /** Builds the options for a width/height; called again when `optionsKey` changes. */
  makeOptions: (width: number, height: number) => uPlot.Options;
  optionsKey: string;
  data: AlignedData;
  height: number;
  label: string;
  testId?: string;
}

/** uPlot in a resizable box: created once per options key, fed new data without re-creating. */
export function UPlotChart({ makeOptions, optionsKey, data, height, label, testId }: Props) {
  const boxRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const dataRef = useRef(data);
  const makeRef = useRef(makeOptions);
  useEffect(() => {
    dataRef.current = data;
    makeRef.current = makeOptions;
  });

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const width = Math.max(200, box.clientWidth);
    const plot = new uPlot(makeRef.current(width, height), dataRef.current, box);
    plotRef.current = plot;
    const ro = new ResizeObserver(() => {
      const w = Math.max(200, box.clientWidth);
      if (w !== plot.width) plot.setSize({ width: w, height });
    });
    ro.observe(box);
    return () => {
      ro.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, [optionsKey, height]);

  useEffect(() => {
    plotRef.current?.setData(data);
  }, [data]);

  return (
    <div ref={boxRef} role="img" aria-label={label} data-testid={testId} className="w-full overflow-hidden" />
  );
}

// Makes an element (a folder row, a breadcrumb) a place to drop dragged drive rows onto: it
// accepts only drags that carry our rows (not files from the desktop, which upload instead) and
// moves them into `folderId`. `over` lights the target up while a drag hovers it.
import { useState, type DragEvent } from 'react';
import { DRAG_TYPE, decodeDrag, type ItemRef } from '../drive/items.ts';

const carriesRows = (event: DragEvent) => event.dataTransfer.types.includes(DRAG_TYPE);

export type MoveHandler = (refs: ItemRef[], folderId: string | null) => void;

export function useItemDrop(folderId: string | null, onMove: MoveHandler) {
  const [over, setOver] = useState(false);
  const dropProps = {
    onDragOver: (event: DragEvent) => {
      if (!carriesRows(event)) return;
      event.preventDefault(); // accept the drop
      event.dataTransfer.dropEffect = 'move';
      setOver(true);
    },
    onDragLeave: () => setOver(false),
    onDrop: (event: DragEvent) => {
      if (!carriesRows(event)) return;
      event.preventDefault();
      setOver(false);
      // A folder dropped onto itself stays where it is.
      const refs = decodeDrag(event.dataTransfer.getData(DRAG_TYPE)).filter(
        (ref) => !(ref.kind === 'folder' && ref.id === folderId),
      );
      if (refs.length > 0) onMove(refs, folderId);
    },
  };
  return { over, dropProps };
}

// What the archive itself says: opening it, items and their fields, tags and collections, search, verification, the demo.
import type { Translation } from './types.ts';

export const en = {
  // Sentences said one after another as one message (a bulk refusal): the first, then the rest (itself perhaps two).
  'archive.sentences': '{{first}} {{rest}}',

  'archive.open.isFile': '{{path}} is a file, not an archive folder.',
  'archive.open.notAnArchive': '{{path}} is not a Sijil archive (it has no {{file}}) and is not empty; choose an empty or new folder.',
  'archive.open.cannotCreate': 'The archive folder {{path}} cannot be created: {{reason}}.',
  'archive.db.cannotOpen': 'The archive database {{file}} cannot be opened: {{reason}}.',
  'archive.db.tooNew': 'This archive was written by a newer version of Sijil (schema {{schema}}, this version knows up to {{known}}); update Sijil to open it.',
  'archive.diskFull': 'The disk holding the archive ({{dir}}) is full: nothing was changed. Free some space on that disk, then try again.',

  'archive.item.notAnId': '"{{id}}" is not an item id.',
  'archive.item.badId': '"{{id}}" is not an item id (ids are {{length}} letters and digits; the first {{min}} or more are enough).',
  'archive.item.notFound': 'No item has the id {{id}}.',
  'archive.item.ambiguous': 'More than one item starts with {{prefix}}; type more of the id.',
  'archive.item.testimonyOnly': 'Only a testimony has speaker and consent details.',
  'archive.edit.notEditable': '{{names}} cannot be edited; the fields are: {{fields}}.',
  'archive.edit.notTestimony': '{{title}} is not a testimony; speaker and consent fields belong to testimonies.',

  'archive.bulk.cancelledBefore': 'Cancelled before any item was changed.',
  'archive.bulk.cancelled': { one: 'Cancelled: the {{count}} item was not changed.', other: 'Cancelled: none of the {{count}} items was changed.' },
  'archive.bulk.noItems': 'No items have the ids {{ids}}.',
  // Subtle: the English is the same in both forms, as it was before it had forms.
  'archive.bulk.moreNotFound': { one: '{{count}} more of the ids name no item.', other: '{{count}} more of the ids name no item.' },
  'archive.bulk.moreRefused': {
    one: '{{count}} more id was refused (unknown, ambiguous or malformed).',
    other: '{{count}} more ids were refused (unknown, ambiguous or malformed).',
  },
  'archive.bulk.noneChanged': { one: 'The {{count}} item was not changed.', other: 'None of the {{count}} items was changed.' },

  'archive.tag.empty': 'A tag name cannot be empty.',
  'archive.tag.tooLong': { one: 'A tag name can be at most {{count}} character.', other: 'A tag name can be at most {{count}} characters.' },
  'archive.collection.empty': 'A collection name cannot be empty.',
  'archive.collection.tooLong': { one: 'A collection name can be at most {{count}} character.', other: 'A collection name can be at most {{count}} characters.' },
  'archive.collection.notFound': 'There is no collection named "{{name}}".',
  'archive.link.badRelation': 'A link relation is a short word such as reports-on, mentions or same-event.',
  'archive.link.self': 'An item cannot be linked to itself.',

  'archive.testimony.notRecording': '{{path}} is not a video or audio recording.',
  'archive.testimony.transcriptNotText': '{{path}} is not a text file; a transcript must be plain text (UTF-8).',
  'archive.testimony.translationNotText': '{{path}} is not a text file; a translation must be plain text (UTF-8).',

  'archive.cursor.refused': 'This page cursor cannot be used: {{why}}. Run the search again from its first page.',
  'archive.cursor.resultsChanged': 'the results changed since it was made',
  'archive.cursor.notACursor': 'it is not a cursor this search made',
  'archive.cursor.altered': 'it was changed or cut short',
  'archive.cursor.otherVersion': 'it was made by another version of Sijil',
  'archive.cursor.otherQuery': 'it belongs to a different query',

  'archive.verify.cancelled': 'The verification was cancelled; nothing was recorded.',
  'archive.verify.settingsUnreadable': '{{file}} cannot be read: {{reason}}.',
  'archive.verify.settingsDamaged': '{{file}} is damaged; delete it to reset the verification schedule.',
  'archive.verify.settingsUnwritable': '{{file}} could not be written: {{reason}}.',

  'archive.demo.missing': 'The demo archive is missing from this installation ({{path}}).',
  'archive.demo.noFile': 'The demo item {{key}} names no file.',
  'archive.demo.notLoaded': 'The demo item {{key}} could not be loaded: {{reason}}.',
  'archive.demo.unknownReason': 'unknown reason',
  'archive.demo.badLink': 'The demo link {{from}} -> {{to}} names an unknown item.',
} as const;

export const ar: Translation<typeof en> = {
  'archive.sentences': '{{first}} {{rest}}',

  'archive.open.isFile': '{{path}} ملف، وليس مجلد أرشيف.',
  'archive.open.notAnArchive': 'المجلد {{path}} ليس أرشيفًا أنشأه سِجِل (لا يحتوي على {{file}}) وليس فارغًا؛ اختر مجلدًا فارغًا أو جديدًا.',
  'archive.open.cannotCreate': 'تعذّر إنشاء مجلد الأرشيف {{path}}: {{reason}}.',
  'archive.db.cannotOpen': 'تعذّر فتح قاعدة بيانات الأرشيف {{file}}: {{reason}}.',
  'archive.db.tooNew': 'كُتب هذا الأرشيف بإصدار أحدث من سِجِل (المخطط {{schema}}، وهذا الإصدار يعرف المخططات حتى {{known}})؛ حدّث سِجِل لتتمكن من فتحه.',
  'archive.diskFull': 'القرص الذي يحمل الأرشيف ({{dir}}) ممتلئ: لم يتغيّر شيء. أفرغ بعض المساحة على ذلك القرص، ثم أعد المحاولة.',

  'archive.item.notAnId': '"{{id}}" ليس معرّف مادة.',
  'archive.item.badId': '"{{id}}" ليس معرّف مادة (المعرّف {{length}} حرفًا ورقمًا، وتكفي أول {{min}} منها أو أكثر).',
  'archive.item.notFound': 'لا توجد مادة بالمعرّف {{id}}.',
  'archive.item.ambiguous': 'أكثر من مادة يبدأ معرّفها بـ {{prefix}}؛ اكتب جزءًا أطول من المعرّف.',
  'archive.item.testimonyOnly': 'تفاصيل المتحدث والموافقة خاصة بالشهادات وحدها.',
  'archive.edit.notEditable': 'لا يمكن تعديل {{names}}؛ الحقول القابلة للتعديل هي: {{fields}}.',
  'archive.edit.notTestimony': 'المادة {{title}} ليست شهادة؛ حقول المتحدث والموافقة خاصة بالشهادات.',

  'archive.bulk.cancelledBefore': 'أُلغيت العملية قبل تغيير أي مادة.',
  'archive.bulk.cancelled': {
    zero: 'أُلغيت العملية: لم تتغيّر أي مادة.',
    one: 'أُلغيت العملية: لم تتغيّر المادة.',
    two: 'أُلغيت العملية: لم تتغيّر أيٌّ من المادتين.',
    few: 'أُلغيت العملية: لم تتغيّر أي مادة من المواد البالغ عددها {{count}}.',
    many: 'أُلغيت العملية: لم تتغيّر أي مادة من المواد البالغ عددها {{count}}.',
    other: 'أُلغيت العملية: لم تتغيّر أي مادة من المواد البالغ عددها {{count}}.',
  },
  'archive.bulk.noItems': 'لا توجد مواد بالمعرّفات {{ids}}.',
  'archive.bulk.moreNotFound': {
    one: 'ولا يدلّ معرّف آخر على أي مادة.',
    two: 'ولا يدلّ معرّفان آخران على أي مادة.',
    few: 'ولا يدلّ {{count}} معرّفات أخرى على أي مادة.',
    many: 'ولا يدلّ {{count}} معرّفًا آخر على أي مادة.',
    other: 'ولا يدلّ {{count}} معرّف آخر على أي مادة.',
  },
  'archive.bulk.moreRefused': {
    one: 'ورُفض معرّف آخر (غير معروف أو ملتبس أو غير صحيح الصيغة).',
    two: 'ورُفض معرّفان آخران (غير معروفين أو ملتبسين أو غير صحيحي الصيغة).',
    few: 'ورُفضت {{count}} معرّفات أخرى (غير معروفة أو ملتبسة أو غير صحيحة الصيغة).',
    many: 'ورُفض {{count}} معرّفًا آخر (غير معروفة أو ملتبسة أو غير صحيحة الصيغة).',
    other: 'ورُفض {{count}} معرّف آخر (غير معروفة أو ملتبسة أو غير صحيحة الصيغة).',
  },
  'archive.bulk.noneChanged': {
    zero: 'لم تتغيّر أي مادة.',
    one: 'لم تتغيّر المادة.',
    two: 'لم تتغيّر أيٌّ من المادتين.',
    few: 'لم تتغيّر أي مادة من المواد البالغ عددها {{count}}.',
    many: 'لم تتغيّر أي مادة من المواد البالغ عددها {{count}}.',
    other: 'لم تتغيّر أي مادة من المواد البالغ عددها {{count}}.',
  },

  'archive.tag.empty': 'لا يمكن أن يكون اسم الوسم فارغًا.',
  'archive.tag.tooLong': {
    zero: 'لا يُقبل أي حرف في اسم الوسم.',
    one: 'يمكن أن يكون اسم الوسم حرفًا واحدًا على الأكثر.',
    two: 'يمكن أن يكون اسم الوسم حرفين على الأكثر.',
    few: 'يمكن أن يكون اسم الوسم {{count}} أحرف على الأكثر.',
    many: 'يمكن أن يكون اسم الوسم {{count}} حرفًا على الأكثر.',
    other: 'يمكن أن يكون اسم الوسم {{count}} حرف على الأكثر.',
  },
  'archive.collection.empty': 'لا يمكن أن يكون اسم المجموعة فارغًا.',
  'archive.collection.tooLong': {
    zero: 'لا يُقبل أي حرف في اسم المجموعة.',
    one: 'يمكن أن يكون اسم المجموعة حرفًا واحدًا على الأكثر.',
    two: 'يمكن أن يكون اسم المجموعة حرفين على الأكثر.',
    few: 'يمكن أن يكون اسم المجموعة {{count}} أحرف على الأكثر.',
    many: 'يمكن أن يكون اسم المجموعة {{count}} حرفًا على الأكثر.',
    other: 'يمكن أن يكون اسم المجموعة {{count}} حرف على الأكثر.',
  },
  'archive.collection.notFound': 'لا توجد مجموعة باسم "{{name}}".',
  'archive.link.badRelation': 'نوع الصلة كلمة قصيرة مثل reports-on أو mentions أو same-event.',
  'archive.link.self': 'لا يمكن ربط مادة بنفسها.',

  'archive.testimony.notRecording': '{{path}} ليس تسجيل فيديو أو صوت.',
  'archive.testimony.transcriptNotText': '{{path}} ليس ملفًا نصيًا؛ يجب أن يكون التفريغ النصي نصًا عاديًا (UTF-8).',
  'archive.testimony.translationNotText': '{{path}} ليس ملفًا نصيًا؛ يجب أن تكون الترجمة نصًا عاديًا (UTF-8).',

  'archive.cursor.refused': 'لا يمكن استخدام مؤشر الصفحة هذا: {{why}}. أعد البحث من صفحته الأولى.',
  'archive.cursor.resultsChanged': 'تغيّرت النتائج منذ إنشائه',
  'archive.cursor.notACursor': 'ليس مؤشرًا أنشأه هذا البحث',
  'archive.cursor.altered': 'غُيّر أو اقتُطع جزء منه',
  'archive.cursor.otherVersion': 'أنشأه إصدار آخر من سِجِل',
  'archive.cursor.otherQuery': 'يعود إلى استعلام مختلف',

  'archive.verify.cancelled': 'أُلغي التحقق؛ لم يُسجَّل شيء.',
  'archive.verify.settingsUnreadable': 'تعذّرت قراءة {{file}}: {{reason}}.',
  'archive.verify.settingsDamaged': 'الملف {{file}} تالف؛ احذفه لإعادة ضبط جدول التحقق.',
  'archive.verify.settingsUnwritable': 'تعذّرت كتابة {{file}}: {{reason}}.',

  'archive.demo.missing': 'الأرشيف التجريبي غير موجود في هذا التثبيت ({{path}}).',
  'archive.demo.noFile': 'المادة التجريبية {{key}} لا تشير إلى أي ملف.',
  'archive.demo.notLoaded': 'تعذّر تحميل المادة التجريبية {{key}}: {{reason}}.',
  'archive.demo.unknownReason': 'سبب غير معروف',
  'archive.demo.badLink': 'الصلة التجريبية {{from}} -> {{to}} تشير إلى مادة غير معروفة.',
};

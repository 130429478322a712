#pragma once

#include <QAbstractItemModel>
#include <QByteArray>
#include <QHash>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

// A read-only tree (columns: key, value, type) over one JSON document, for the response viewer.
//
// The work is split so that a 50 MB body never stalls the UI thread:
//  - JsonTreeModel::parse() validates the bytes and builds an immutable Tree. It is a pure
//    function, safe to call on any thread (the viewer calls it on a worker).
//  - setTree() hands the finished Tree to the model on the UI thread: one model reset, no work
//    proportional to the document.
//  - Children of big containers are exposed in batches through canFetchMore()/fetchMore(), so a
//    view never lays out a million rows at once.
//
// Our own parser rather than QJsonDocument, because a viewer must show what the server sent:
// QJsonDocument (Qt 6.4) sorts object keys, drops duplicate keys, turns integers above 2^53 into
// doubles, refuses a scalar at the top level, and stops at 1024 levels of nesting. The Tree keeps
// the body's bytes and points into them: keys and values are decoded only when a view asks, and
// numbers are shown exactly as written.
class JsonTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column { KeyColumn, ValueColumn, TypeColumn, ColumnCount };
    enum class Type : quint8 { Null, Boolean, Number, String, Array, Object, Error };
    Q_ENUM(Type)

    enum Role {
        TypeRole = Qt::UserRole + 1, // int (Type), on every column
        PathRole,                    // QString, JSONPath-style: $.data[3]["odd key"]
        ValueRole,                   // QString: decoded string, number as written, true/false/null
        RawJsonRole,                 // QByteArray: the node's JSON text exactly as received
        ChildCountRole,              // int: members or items of a container, 0 otherwise
    };

    struct ParseOptions
    {
        // Deeper documents are refused with an error value; the parser itself is iterative, so
        // this guards the views (indentation, recursive expansion) rather than the stack.
        int maxDepth = 10000;
        // About 24 bytes each: the default bounds the tree of a hostile "[0,0,0,…]" near 240 MB.
        qsizetype maxValues = 10'000'000;
    };

    enum class Error { None, Empty, Syntax, TooDeep, TooManyValues, TooLarge, Canceled };
    Q_ENUM(Error)

    // The parsed document. Immutable once built, so one Tree can be shared between a worker and
    // any number of models.
    class Tree
    {
    public:
        static constexpr int NoNode = -1;

        bool isValid() const { return m_error == Error::None; }
        Error error() const { return m_error; }
        QString errorString() const { return m_errorString; }
        // Where the parser stopped, in bytes from the start, and as a 1-based line and column.
        qsizetype errorOffset() const { return m_errorOffset; }
        int errorLine() const { return m_errorLine; }
        int errorColumn() const { return m_errorColumn; }

        QByteArray source() const { return m_source; }
        qsizetype valueCount() const { return qsizetype(m_nodes.size()); }
        int maxDepth() const { return m_maxDepth; }

        int root() const { return m_nodes.empty() ? NoNode : int(m_nodes.size()) - 1; }
        Type type(int node) const { return m_nodes[size_t(node)].type; }
        bool isContainer(int node) const;
        int childCount(int node) const;
        int child(int node, int row) const;
        int parent(int node) const { return m_nodes[size_t(node)].parent; }
        int row(int node) const;
        // Members of an object have a key; the root and array items do not.
        bool hasKey(int node) const { return m_nodes[size_t(node)].keyBegin != NoKey; }
        QString key(int node) const;
        // Decoded text of a string; a number, true, false or null as written; empty for containers.
        QString scalarText(int node) const;
        QByteArray rawJson(int node) const;
        QString path(int node) const;
        // Where the node starts in the source (its key, else its value): document order.
        qsizetype sourceOffset(int node) const;

    private:
        friend class JsonTreeModel;
        friend class JsonTreeParser;
        static constexpr quint32 NoKey = 0xffffffffu;

        // 24 bytes: offsets into m_source instead of copies keep a 50 MB body's tree small.
        struct Node
        {
            quint32 keyBegin = NoKey; // the key's opening quote
            quint32 valueBegin = 0;   // first byte of the value
            quint32 a = 0;            // containers: first child in m_nodes; scalars: byte length
            quint32 b = 0;            // containers: number of children
            qint32 parent = NoNode;
            Type type = Type::Null;
            quint8 flags = 0;
        };
        enum Flag : quint8 { KeyEscaped = 1, ValueEscaped = 2 };

        qsizetype rawLength(int node) const;

        QByteArray m_source;
        // Children of each container are contiguous; the root is the last node.
        std::vector<Node> m_nodes;
        int m_maxDepth = 0;
        Error m_error = Error::None;
        QString m_errorString;
        qsizetype m_errorOffset = -1;
        int m_errorLine = 0;
        int m_errorColumn = 0;
    };
    using TreePtr = std::shared_ptr<const Tree>;

    // Parses on the calling thread. isCanceled, when given, is polled now and then; a canceled
    // parse returns a Tree with Error::Canceled. Never throws, never recurses.
    static TreePtr parse(const QByteArray &json);
    static TreePtr parse(const QByteArray &json, const ParseOptions &options,
                         const std::function<bool()> &isCanceled = {});

    explicit JsonTreeModel(QObject *parent = nullptr);
    ~JsonTreeModel() override;

    // The document shown as one root row (or one error row); nullptr shows nothing.
    void setTree(TreePtr tree);
    TreePtr tree() const { return m_tree; }
    void clear() { setTree(nullptr); }

    // Rows a container exposes at first and per fetchMore(). At least 1.
    void setBatchSize(int rows);
    int batchSize() const { return m_batchSize; }

    QModelIndex rootIndex() const;
    // The row of a node of the tree (column 0), fetching its ancestors' rows as far as needed
    // (for find, which jumps to any value); invalid for no node.
    QModelIndex indexOfNode(int node);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString typeName(Type type);

private:
    int nodeOf(const QModelIndex &index) const;
    int exposedRows(int node) const;
    QVariant errorData(int column, int role) const;
    QString valueDisplay(int node) const;

    TreePtr m_tree;
    int m_batchSize = 1000;
    // Containers that fetched beyond their first batch: node → rows exposed.
    QHash<int, int> m_fetched;
};
